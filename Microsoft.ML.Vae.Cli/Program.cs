using Microsoft.ML.Vae.Cli;
using Microsoft.ML.Vae.Cli.Files;

// Progress bars only when a person watches stderr; pipes and log files get plain messages.
return VaeCli.Run(args, StandardStreams.Process(), interactive: !Console.IsErrorRedirected, handleTermination: true);
