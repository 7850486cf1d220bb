using BenchmarkDotNet.Running;
using Paylink.Bench;

if (args.Length > 0 && args[0] == "jobs") return await JobsBench.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
