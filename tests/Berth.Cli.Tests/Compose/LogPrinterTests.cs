using System.Text;
using Berth.Cli.Commands.Compose;

namespace Berth.Cli.Tests.Compose;

public sealed class LogPrinterTests
{
    private static byte[] Frame(byte stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        return [stream, 0, 0, 0, (byte)(payload.Length >> 24), (byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];
    }

    [Fact]
    public async Task WholeLinesOnlyEachAfterThePrefix()
    {
        var output = new StringWriter { NewLine = "\n" };
        var printer = new LogLinePrinter(output, new Lock(), "app_db_1  | ");

        // A line split over two frames, two lines in one frame, a stderr line, a last line without newline, UTF-8 split mid-character.
        var euro = Encoding.UTF8.GetBytes("€");
        byte[] stream = [.. Frame(1, "hel"), .. Frame(1, "lo\nsecond\nthird\n"), .. Frame(2, "oops\r\n"), 1, 0, 0, 0, 0, 0, 0, 1, euro[0], 1, 0, 0, 0, 0, 0, 0, 2, euro[1], euro[2], .. Frame(1, " end")];
        await printer.CopyAsync(new MemoryStream(stream), tty: false, CancellationToken.None);

        Assert.Equal("app_db_1  | hello\napp_db_1  | second\napp_db_1  | third\napp_db_1  | oops\napp_db_1  | € end\n", output.ToString());
    }

    [Fact]
    public async Task TtyOutputIsRaw()
    {
        var output = new StringWriter();
        await new LogLinePrinter(output, new Lock(), "p | ").CopyAsync(new MemoryStream(Encoding.UTF8.GetBytes("a\r\nb")), tty: true, CancellationToken.None);
        Assert.Equal("p | a\np | b\n", output.ToString());
    }

    [Fact]
    public void PrefixesArePaddedAndColouredPerService()
    {
        var plain = LogPrefixes.For([("db", "app_db_1"), ("api", "app_api_1"), ("db", "app_db_2")], color: false);
        Assert.Equal("app_db_1   | ", plain["app_db_1"]);
        Assert.Equal("app_api_1  | ", plain["app_api_1"]);

        var colored = LogPrefixes.For([("db", "app_db_1"), ("api", "app_api_1"), ("db", "app_db_2")], color: true);
        Assert.Equal("\u001b[36mapp_api_1  | \u001b[0m", colored["app_api_1"]);
        Assert.Equal("\u001b[33mapp_db_1   | \u001b[0m", colored["app_db_1"]);
        Assert.Equal("\u001b[33mapp_db_2   | \u001b[0m", colored["app_db_2"]);
    }

    [Fact]
    public void SinceIsUnixSecondsWithNanoseconds() =>
        Assert.Equal("1700000000.123456700", ComposeEngine.UnixTime(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123).AddTicks(4567)));
}
