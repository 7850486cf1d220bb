using BenchmarkDotNet.Running;

namespace Paylink.Bench;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // "latency" times every single call (BenchmarkDotNet's percentiles are over iteration means, not calls).
        if (args is ["latency", ..])
        {
            AnalyzeLatency.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20, args.Length > 2 ? args[2] : null);
            return 0;
        }
        if (args is ["jobs", ..]) return await JobsBench.RunAsync(args[1..]);
        if (args is ["channels", ..]) return await ChannelsBench.RunAsync(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
