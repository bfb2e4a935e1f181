using System.Collections.Immutable;

namespace Berth.Runtime.Engine.Naming;

/// <summary>
/// Berth's own word lists for generated container names (<c>adjective_surname</c>): 100 adjectives and
/// 240 scientists and engineers give 24,000 pairs, enough that collisions stay rare for tens of
/// thousands of containers; <see cref="ContainerNameGenerator"/> adds a numeric suffix when they are not.
/// Every word is lowercase ASCII letters only, so every pair is a valid container name.
/// </summary>
internal static class ContainerNameWords
{
    public static readonly ImmutableArray<string> Adjectives =
    [
        "able", "agile", "alert", "amber", "ample", "ardent", "astute", "awake", "bold", "bright",
        "brisk", "busy", "candid", "careful", "cheerful", "civil", "clever", "cosmic", "crisp", "curious",
        "daring", "deft", "devoted", "diligent", "dreamy", "eager", "earnest", "elated", "elegant", "epic",
        "exact", "fair", "fearless", "fierce", "fluent", "fond", "frank", "friendly", "frosty", "gentle",
        "gifted", "glad", "golden", "graceful", "grand", "hardy", "hearty", "honest", "humble", "jolly",
        "jovial", "joyful", "kind", "lively", "loyal", "lucky", "mellow", "merry", "mighty", "modest",
        "noble", "patient", "peaceful", "plucky", "polite", "proud", "quick", "quirky", "radiant", "rapid",
        "ready", "regal", "robust", "rosy", "rugged", "serene", "sharp", "shiny", "silent", "sincere",
        "smart", "snappy", "solid", "sparkling", "spry", "stellar", "sturdy", "sunny", "swift", "tender",
        "thrifty", "tidy", "tranquil", "trusty", "upbeat", "valiant", "vibrant", "warm", "witty", "zesty",
    ];

    public static readonly ImmutableArray<string> Surnames =
    [
        "abel", "agnesi", "aiken", "alhazen", "allen", "alvarez", "ampere", "anderson", "appleton", "archimedes",
        "arrhenius", "avogadro", "babbage", "backus", "baekeland", "bardeen", "barton", "bassi", "becquerel", "bell",
        "benz", "berners", "bernoulli", "bessel", "bethe", "bohr", "boltzmann", "boole", "born", "bose",
        "boyle", "bragg", "brahe", "brattain", "bunsen", "carnot", "carson", "cauchy", "cavendish", "cerf",
        "chadwick", "chandra", "chebyshev", "clausius", "cohen", "compton", "conway", "copernicus", "corbato", "coulomb",
        "cray", "crick", "curie", "dalton", "darwin", "dedekind", "descartes", "diesel", "dijkstra", "dirac",
        "doppler", "edison", "ehrlich", "einstein", "elion", "engelbart", "eratosthenes", "euclid", "euler", "faraday",
        "fermat", "fermi", "feynman", "fibonacci", "fleming", "foucault", "fourier", "franklin", "fresnel", "galileo",
        "galois", "galvani", "gauss", "gay", "geiger", "germain", "gibbs", "godel", "goodall", "gould",
        "haber", "hamilton", "hamming", "hawking", "heaviside", "heisenberg", "hertz", "hilbert", "hodgkin", "hollerith",
        "hooke", "hopper", "hubble", "humboldt", "huygens", "hypatia", "jacobi", "jansky", "jemison", "jenner",
        "johnson", "joliot", "joule", "kahn", "kelvin", "kepler", "kilby", "knuth", "koch", "kovalevskaya",
        "lagrange", "lamarr", "lamport", "landau", "langmuir", "laplace", "lavoisier", "leakey", "leavitt", "leibniz",
        "lemaitre", "liskov", "lister", "lorentz", "lovelace", "lyell", "mach", "marconi", "maxwell", "mayer",
        "mccarthy", "mcclintock", "meitner", "mendel", "mendeleev", "michelson", "millikan", "minsky", "mirzakhani", "moore",
        "morse", "napier", "nash", "neumann", "newton", "nightingale", "nobel", "noether", "noyce", "ohm",
        "oppenheimer", "ostrom", "pascal", "pasteur", "pauli", "pauling", "pavlov", "perlman", "planck", "poincare",
        "priestley", "ptolemy", "pythagoras", "raman", "ramanujan", "rayleigh", "riemann", "ritchie", "roentgen", "rubin",
        "rutherford", "sagan", "salk", "sammet", "sanger", "schrodinger", "shannon", "shockley", "snell", "sommerfeld",
        "stallman", "stephenson", "stokes", "sutherland", "swanson", "szilard", "tesla", "thompson", "thomson", "torvalds",
        "turing", "tyndall", "varahamihira", "venter", "volta", "wallace", "watson", "watt", "wegener", "weierstrass",
        "wiener", "wilkes", "wirth", "wozniak", "wright", "wu", "yalow", "yonath", "young", "zuse",
        "aryabhata", "banach", "blackwell", "cantor", "chargaff", "clarke", "dewar", "easley", "fontana", "goldwasser",
        "hoare", "kare", "kirch", "lalande", "lehmann", "lumiere", "montalcini", "nirenberg", "payne", "shaw",
    ];
}
