using Microsoft.ML.Vae.Cli;

// Progress bars only when a person watches stderr; pipes and log files get plain messages.
return VaeCli.Run(args, Console.Out, Console.Error, interactive: !Console.IsErrorRedirected, handleTermination: true);
