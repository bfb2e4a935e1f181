using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// The test clients' own small DNS encoder and decoder (RFC 1035 §4.1), independent of Berth's codec: an A query with
/// one question, and an answer's id, question name, RCODE and A addresses.
/// </summary>
public static class DnsMessage
{
    private const byte TypeA = 1;
    private const byte ClassInternet = 1;
    private const int HeaderLength = 12;

    /// <summary>A recursion-desired query for the A records of <paramref name="name"/>.</summary>
    public static byte[] EncodeA(ushort id, string name)
    {
        var message = new List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 }; // RD; one question
        foreach (string label in name.Split('.'))
        {
            message.Add((byte)label.Length);
            message.AddRange(Encoding.ASCII.GetBytes(label));
        }

        message.AddRange([0, 0, TypeA, 0, ClassInternet]);
        return [.. message];
    }

    /// <summary>The answer's id, its first question's name and the answer itself.</summary>
    public static (ushort Id, string Question, DnsAnswer Answer) Decode(ReadOnlySpan<byte> message)
    {
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(message);
        int code = message[3] & 0x0F;
        int questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int answerCount = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int at = HeaderLength;
        string question = "";
        for (int i = 0; i < questions; i++)
        {
            if (i == 0)
            {
                question = ReadName(message, at);
            }

            at = SkipName(message, at) + 4;
        }

        var addresses = new List<IPAddress>();
        for (int i = 0; i < answerCount; i++)
        {
            at = SkipName(message, at);
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[at..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(message[(at + 8)..]);
            at += 10;
            if (type == TypeA && length == 4)
            {
                addresses.Add(new IPAddress(message.Slice(at, 4)));
            }

            at += length;
        }

        return (id, question, new DnsAnswer(code, [.. addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal)]));
    }

    /// <summary>An uncompressed name (a question's), dotted.</summary>
    private static string ReadName(ReadOnlySpan<byte> message, int at)
    {
        var labels = new List<string>();
        while (message[at] != 0 && (message[at] & 0xC0) == 0)
        {
            labels.Add(Encoding.ASCII.GetString(message.Slice(at + 1, message[at])));
            at += 1 + message[at];
        }

        return string.Join('.', labels);
    }

    private static int SkipName(ReadOnlySpan<byte> message, int at)
    {
        while (message[at] != 0)
        {
            if ((message[at] & 0xC0) == 0xC0)
            {
                return at + 2;
            }

            at += 1 + message[at];
        }

        return at + 1;
    }
}

/// <summary>An answer's RCODE (0 NOERROR, 3 NXDOMAIN, …) and its A addresses, sorted.</summary>
public sealed record DnsAnswer(int ResponseCode, string[] Addresses);
