package io.starconsole.functions.address;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Ipv4Test {

    @Test
    void parse_dottedQuads_roundTrip() {
        assertThat(Ipv4.parse("0.0.0.0")).isEqualTo(0L);
        assertThat(Ipv4.parse("255.255.255.255")).isEqualTo(0xFFFFFFFFL);
        assertThat(Ipv4.format(Ipv4.parse("10.99.1.200"))).isEqualTo("10.99.1.200");
    }

    @Test
    void parse_anythingElse_isRefused() {
        for (String bad : new String[] {null, "", "10.0.0", "10.0.0.0.1", "10.0.0.256", "010.0.0.1", "+1.0.0.1",
                "1.0.0.-1", "a.b.c.d", "10..0.1", "1.2.3.4 ", "::1", "1234.1.1.1"}) {
            assertThat(Ipv4.parse(bad)).as(String.valueOf(bad)).isEqualTo(-1L);
        }
    }

    @Test
    void cidr_hostsExcludeNetworkAndBroadcast() {
        Ipv4.Cidr cidr = Ipv4.Cidr.parse("192.168.7.8/29");
        assertThat(cidr.size()).isEqualTo(8);
        assertThat(Ipv4.format(cidr.firstHost())).isEqualTo("192.168.7.9");
        assertThat(Ipv4.format(cidr.lastHost())).isEqualTo("192.168.7.14");
        assertThat(cidr.isHost(Ipv4.parse("192.168.7.8"))).isFalse();
        assertThat(cidr.isHost(Ipv4.parse("192.168.7.15"))).isFalse();
        assertThat(cidr.contains(Ipv4.parse("192.168.7.15"))).isTrue();
        assertThat(Ipv4.maskOf(29)).isEqualTo("255.255.255.248");
        assertThat(Ipv4.maskOf(16)).isEqualTo("255.255.0.0");
    }

    @Test
    void cidr_withHostBitsOrBadLength_isRefused() {
        assertThat(Ipv4.Cidr.parse("10.0.0.1/24")).isNull();
        assertThat(Ipv4.Cidr.parse("10.0.0.0/33")).isNull();
        assertThat(Ipv4.Cidr.parse("10.0.0.0/")).isNull();
        assertThat(Ipv4.Cidr.parse("10.0.0.0/08")).isNull();
        assertThat(Ipv4.Cidr.parse("10.0.0.0")).isNull();
    }

    @Test
    void cidr_overlaps() {
        Ipv4.Cidr wide = Ipv4.Cidr.parse("10.0.0.0/16");
        assertThat(wide.overlaps(Ipv4.Cidr.parse("10.0.200.0/24"))).isTrue();
        assertThat(wide.overlaps(Ipv4.Cidr.parse("10.1.0.0/24"))).isFalse();
    }
}
