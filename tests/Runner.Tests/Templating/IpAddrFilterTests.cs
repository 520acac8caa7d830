// Edges of the ansible.utils ip filters that tests/differential/ipaddr.yml cannot show: Ansible's wording for the
// filters' Python TypeErrors needs the template text (debug's msg dict does not give it to Runner's Templar), and
// integers above 2^63 only survive as native values. Expected values were observed with ansible-playbook 2.14.18,
// ansible.utils and python3-netaddr 0.8.0 on this machine (debug msg of the same template).
using System.Numerics;
using Runner.Engine.Templating;
using Runner.Engine.Values;

namespace Runner.Tests.Templating;

public class IpAddrFilterTests
{
    private static readonly Templar T = new();
    private static readonly DictionaryScope NoVars = new(new Dictionary<string, object?>());

    [Theory]
    [InlineData("{{ '10.0.0.1' | ansible.utils.ipaddr('foo') }}", "unsupported operand type(s) for +: 'NoneType' and 'str'")]
    [InlineData("{{ '10.0.0.1' | ansible.utils.ipaddr(none) }}", "unsupported operand type(s) for +: 'NoneType' and 'str'")]
    [InlineData("{{ '10.0.0.1' | ansible.utils.ipaddr('v4') }}", "_ipv4_query() missing 1 required positional argument: 'value'")]
    public void The_ipaddr_filters_python_type_errors_name_the_template(string template, string python)
    {
        var e = Assert.Throws<TemplateError>(() => T.Template(template, NoVars));
        Assert.Equal($"Unexpected templating type error occurred on ({template}): {python}. {python}", e.Message);
    }

    [Fact]
    public void Ipv6_sizes_and_integers_beyond_64_bits_are_exact()
    {
        Assert.Equal(BigInteger.Parse("340282366920938463463374607431768211456"), T.EvaluateExpression("'::/0' | ansible.utils.ipaddr('size')", NoVars));
        Assert.Equal(BigInteger.Parse("340277174624079928635746076935438991361"), T.EvaluateExpression("'ffff::1' | ansible.utils.ipaddr('int')", NoVars));
        Assert.Equal(1L, T.EvaluateExpression("'::1' | ansible.utils.ipaddr('int')", NoVars));
    }

    [Fact]
    public void List_input_drops_what_does_not_match()
    {
        var r = T.EvaluateExpression("['10.0.0.1', 'x', '', 5, '::1/64', true] | ansible.utils.ipv4", NoVars);
        Assert.Equal(new List<object?> { "10.0.0.1", "0.0.0.5" }, r);
    }
}
