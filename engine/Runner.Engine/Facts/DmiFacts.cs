using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// The DMI facts (bios_*, board_*, chassis_*, form_factor, product_*, system_vendor) as ansible-core 2.14's
/// LinuxHardware.get_dmi_facts reports them (lib/ansible/module_utils/facts/hardware/linux.py): from
/// /sys/devices/virtual/dmi/id when product_name exists there ("NA" for an unreadable file; chassis_type mapped to
/// a form factor name), else from `dmidecode -s` ("NA" when it fails or is missing).
/// </summary>
internal static class DmiFacts
{
    private const string Dir = "/sys/devices/virtual/dmi/id/";

    private static readonly string[] FormFactors =
    {
        "Unknown", "Other", "Unknown", "Desktop", "Low Profile Desktop", "Pizza Box", "Mini Tower", "Tower", "Portable",
        "Laptop", "Notebook", "Hand Held", "Docking Station", "All In One", "Sub Notebook", "Space-saving", "Lunch Box",
        "Main Server Chassis", "Expansion Chassis", "Sub Chassis", "Bus Expansion Chassis", "Peripheral Chassis",
        "RAID Chassis", "Rack Mount Chassis", "Sealed-case PC", "Multi-system", "CompactPCI", "AdvancedTCA", "Blade",
        "Blade Enclosure", "Tablet", "Convertible", "Detachable", "IoT Gateway", "Embedded PC", "Mini PC", "Stick PC",
    };

    private static readonly (string Fact, string SysFile, string Dmidecode)[] Keys =
    {
        ("bios_date", "bios_date", "bios-release-date"), ("bios_vendor", "bios_vendor", "bios-vendor"),
        ("bios_version", "bios_version", "bios-version"), ("board_asset_tag", "board_asset_tag", "baseboard-asset-tag"),
        ("board_name", "board_name", "baseboard-product-name"), ("board_serial", "board_serial", "baseboard-serial-number"),
        ("board_vendor", "board_vendor", "baseboard-manufacturer"), ("board_version", "board_version", "baseboard-version"),
        ("chassis_asset_tag", "chassis_asset_tag", "chassis-asset-tag"), ("chassis_serial", "chassis_serial", "chassis-serial-number"),
        ("chassis_vendor", "chassis_vendor", "chassis-manufacturer"), ("chassis_version", "chassis_version", "chassis-version"),
        ("form_factor", "chassis_type", "chassis-type"), ("product_name", "product_name", "system-product-name"),
        ("product_serial", "product_serial", "system-serial-number"), ("product_uuid", "product_uuid", "system-uuid"),
        ("product_version", "product_version", "system-version"), ("system_vendor", "sys_vendor", "system-manufacturer"),
    };

    public static Dict From(ProbeOutput p)
    {
        var f = new Dict();
        var fromSys = p.Exists(Dir + "product_name");
        foreach (var (fact, file, dmi) in Keys)
        {
            if (fromSys)
            {
                var data = p.Content(Dir + file);
                if (data is null) f[fact] = "NA";
                else if (fact == "form_factor")
                    f[fact] = int.TryParse(data, out var n) && n >= 0 && n < FormFactors.Length ? FormFactors[n] : $"unknown ({data})";
                else f[fact] = data;
            }
            else
            {
                var o = p.Ok("dmidecode:" + dmi);
                f[fact] = o is null ? "NA" : string.Concat(o.Split('\n').Where(l => !l.StartsWith('#')));
            }
        }
        return f;
    }
}
