using Paylink.Cli;

return await CliApp.InvokeAsync(CliApp.BuildRoot(), args);
