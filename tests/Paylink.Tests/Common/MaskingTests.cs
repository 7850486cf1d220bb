using Paylink.Core.Common;

namespace Paylink.Tests.Common;

public sealed class MaskingTests
{
    [Fact] public void Phone_KeepsCountryAndLastFour() => Assert.Equal("+7916***4567", Masking.Phone("+79161234567"));
    [Fact] public void Email_KeepsFirstLetterAndDomain() => Assert.Equal("a***@example.com", Masking.Email("anna@example.com"));
    [Fact] public void Secret_KeepsLastFour() => Assert.Equal("****cdef", Masking.Secret("0123456789abcdef"));
    [Fact] public void Empty_StaysEmpty() => Assert.Equal("", Masking.Phone(null));
}
