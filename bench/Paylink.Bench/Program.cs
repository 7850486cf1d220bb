using BenchmarkDotNet.Running;

namespace Paylink.Bench;

public static class Program
{
    public static void Main(string[] args)
    {
        // "latency" times every single call (BenchmarkDotNet's percentiles are over iteration means, not calls).
        if (args is ["latency", ..])
        {
            AnalyzeLatency.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
