using System.Buffers.Binary;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// A 136-byte static x86-64 ELF that exits with its effective uid (mod 256): <c>geteuid()</c> then <c>exit()</c>.
/// Made setuid root, it tells whether exec granted root (exit 0) or not (the caller's uid: 1000 exits 232) — busybox
/// cannot, as it drops a setuid root for every applet but a few.
/// </summary>
public static class EuidProbe
{
    private const ulong LoadAddress = 0x400000;
    private const int HeaderBytes = 64; // Elf64_Ehdr
    private const int ProgramHeaderBytes = 56; // Elf64_Phdr

    // mov eax, 107 (geteuid); syscall; mov edi, eax; mov eax, 60 (exit); syscall
    private static readonly byte[] Code = [0xb8, 0x6b, 0, 0, 0, 0x0f, 0x05, 0x89, 0xc7, 0xb8, 0x3c, 0, 0, 0, 0x0f, 0x05];

    /// <summary>What a uid exits as (the kernel keeps the low 8 bits of the status).</summary>
    public static int ExitCodeOf(uint uid) => (int)(uid & 0xff);

    /// <summary>Writes the probe to <paramref name="path"/>, mode 0755 (the caller adds setuid).</summary>
    public static void Write(string path)
    {
        if (System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            throw new PlatformNotSupportedException("the euid probe is an x86-64 program");
        }

        int total = HeaderBytes + ProgramHeaderBytes + Code.Length;
        var image = new byte[total];
        Span<byte> elf = image;
        "\u007fELF"u8.CopyTo(elf);
        elf[4] = 2; // ELFCLASS64
        elf[5] = 1; // little endian
        elf[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(elf[16..], 2); // ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(elf[18..], 0x3e); // EM_X86_64
        BinaryPrimitives.WriteUInt32LittleEndian(elf[20..], 1); // version
        BinaryPrimitives.WriteUInt64LittleEndian(elf[24..], LoadAddress + HeaderBytes + ProgramHeaderBytes); // entry
        BinaryPrimitives.WriteUInt64LittleEndian(elf[32..], HeaderBytes); // phoff
        BinaryPrimitives.WriteUInt16LittleEndian(elf[52..], HeaderBytes); // ehsize
        BinaryPrimitives.WriteUInt16LittleEndian(elf[54..], ProgramHeaderBytes); // phentsize
        BinaryPrimitives.WriteUInt16LittleEndian(elf[56..], 1); // phnum
        Span<byte> segment = elf[HeaderBytes..];
        BinaryPrimitives.WriteUInt32LittleEndian(segment, 1); // PT_LOAD
        BinaryPrimitives.WriteUInt32LittleEndian(segment[4..], 5); // PF_R | PF_X
        BinaryPrimitives.WriteUInt64LittleEndian(segment[16..], LoadAddress); // vaddr
        BinaryPrimitives.WriteUInt64LittleEndian(segment[24..], LoadAddress); // paddr
        BinaryPrimitives.WriteUInt64LittleEndian(segment[32..], (ulong)total); // filesz
        BinaryPrimitives.WriteUInt64LittleEndian(segment[40..], (ulong)total); // memsz
        BinaryPrimitives.WriteUInt64LittleEndian(segment[48..], 0x1000); // align
        Code.CopyTo(elf[(HeaderBytes + ProgramHeaderBytes)..]);
        File.WriteAllBytes(path, image);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}
