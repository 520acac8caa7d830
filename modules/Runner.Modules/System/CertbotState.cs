using System.Globalization;

namespace Runner.Modules.Sys;

/// <summary>One certificate lineage as `certbot certificates` prints it.</summary>
public sealed record CertbotCertificate(string Name, List<string> Domains, DateTimeOffset? Expiry, string KeyType, string CertPath, string KeyPath);

/// <summary>Parses `certbot certificates` output (certbot 2.x: "Certificate Name:", "Domains:", "Expiry Date:", "Key Type:", paths).</summary>
internal static class CertbotState
{
    /// <summary>Every lineage in the output, in order.</summary>
    public static List<CertbotCertificate> Parse(string text)
    {
        var list = new List<CertbotCertificate>();
        string? name = null; List<string> domains = new(); DateTimeOffset? expiry = null; string keyType = "", cert = "", key = "";
        void Flush() { if (name is not null) list.Add(new(name, domains, expiry, keyType, cert, key)); }
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("Certificate Name:"))
            {
                Flush();
                name = line["Certificate Name:".Length..].Trim(); domains = new(); expiry = null; keyType = cert = key = "";
            }
            else if (line.StartsWith("Domains:")) domains = line["Domains:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            else if (line.StartsWith("Key Type:")) keyType = line["Key Type:".Length..].Trim();
            else if (line.StartsWith("Certificate Path:")) cert = line["Certificate Path:".Length..].Trim();
            else if (line.StartsWith("Private Key Path:")) key = line["Private Key Path:".Length..].Trim();
            else if (line.StartsWith("Expiry Date:"))
            {
                // "Expiry Date: 2025-08-18 12:00:00+00:00 (VALID: 89 days)"
                var v = line["Expiry Date:".Length..].Trim();
                var paren = v.IndexOf(" (", StringComparison.Ordinal);
                if (paren > 0) v = v[..paren];
                if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e)) expiry = e;
            }
        }
        Flush();
        return list;
    }
}
