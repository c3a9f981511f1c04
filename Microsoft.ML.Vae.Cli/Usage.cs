using System.CommandLine;
using System.CommandLine.Parsing;

namespace Microsoft.ML.Vae.Cli;

/// <summary>
/// Usage errors in the tool's words: one line naming the bad token or flag (with the nearest known name when there is
/// one), then the command's usage line, instead of System.CommandLine's full help.
/// </summary>
internal static class Usage
{
    /// <summary>e.g. "usage: vae train --input &lt;file.csv&gt; --model &lt;model.vae&gt; [options] (vae train --help lists them)".</summary>
    public static string Line(System.CommandLine.Command command)
    {
        if (command is RootCommand)
        {
            return $"usage: vae <command> [options], where <command> is {Commands.CommonOptions.Alternatives([.. command.Subcommands.Select(c => c.Name)])} (vae --help describes them)";
        }

        string required = string.Concat(command.Options.Where(o => o.Required).Select(o => $" {o.Name} <{o.HelpName}>"));
        return $"usage: {Name(command)}{required} [options] ({Name(command)} --help lists them)";
    }

    /// <summary>The first problem of a command line that did not parse, as one line.</summary>
    public static string ErrorOf(ParseResult parse)
    {
        System.CommandLine.Command command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens.Count > 0)
        {
            string token = parse.UnmatchedTokens[0];
            if (command is RootCommand && !token.StartsWith('-'))
            {
                return $"unknown command '{token}'{Suggest(token, command.Subcommands.Select(c => c.Name))}.";
            }

            return token.StartsWith('-')
                ? $"unknown option '{token}' for {Name(command)}{Suggest(token, command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)))}."
                : $"unexpected value '{token}' for {Name(command)}: values follow their option (e.g. --input data.csv).";
        }

        if (command is RootCommand)
        {
            return "no command given.";
        }

        foreach (Option option in command.Options.Where(o => o.Required && parse.GetResult(o) is not OptionResult { IdentifierTokenCount: > 0 }))
        {
            return $"{Name(command)} needs {option.Name} <{option.HelpName}>.";
        }

        ParseError first = parse.Errors[0];
        return first.SymbolResult is OptionResult { Tokens.Count: 0, Implicit: false } missing
            ? $"{missing.Option.Name} needs a value."
            : first.Message;
    }

    private static string Name(System.CommandLine.Command command) => command is RootCommand ? "vae" : $"vae {command.Name}";

    /// <summary>" (did you mean 'x'?)" for the nearest candidate within two edits, else nothing.</summary>
    private static string Suggest(string token, IEnumerable<string> candidates)
    {
        string? best = candidates
            .Select(c => (Name: c, Distance: EditDistance(token, c)))
            .Where(c => c.Distance <= Math.Min(2, Math.Max(1, c.Name.Length / 3)))
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
        return best is null ? "" : $" (did you mean {best}?)";
    }

    /// <summary>Edits (insert, delete, replace, swap two neighbours) between two words: "trian" is one from "train".</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
