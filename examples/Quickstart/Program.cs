using VaeMl.Examples.Quickstart;

Console.WriteLine("Training a VAE on generated rows; the top anomalies:");
QuickstartSample.Run();
