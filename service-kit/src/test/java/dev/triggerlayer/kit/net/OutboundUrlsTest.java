package dev.triggerlayer.kit.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which outbound targets are refused, however their host is written or resolves. */
class OutboundUrlsTest {

    @Test
    void refusesLoopbackPrivateMetadataAndReservedTargetsInEveryForm() {
        OutboundUrls urls = new OutboundUrls(List.of());
        for (String url : List.of("http://127.0.0.1/", "http://localhost:8083/api/v1/tenants", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
                "http://2130706433/", "http://0.0.0.0/", "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/",
                "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://[fd00::1]/", "http://[fe80::1]/",
                "http://224.0.0.1/", "http://255.255.255.255/")) {
            assertThrows(OutboundUrls.Refused.class, () -> urls.check(URI.create(url)), url);
        }
    }

    @Test
    void aNameIsJudgedByEveryAddressItResolvesTo() throws Exception {
        Map<String, InetAddress[]> dns = Map.of(
                "public.example", new InetAddress[] {InetAddress.getByName("93.184.216.34")},
                "rebinding.example", new InetAddress[] {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.1.2.3")});
        OutboundUrls urls = new OutboundUrls(List.of(), host -> {
            InetAddress[] a = dns.get(host);
            if (a == null) {
                throw new java.net.UnknownHostException(host);
            }
            return a;
        });
        assertEquals(List.of(InetAddress.getByName("93.184.216.34")), urls.check(URI.create("https://public.example/hook")));
        assertThrows(OutboundUrls.Refused.class, () -> urls.check(URI.create("https://rebinding.example/hook")), "one private address is enough");
        assertThrows(OutboundUrls.Unresolved.class, () -> urls.check(URI.create("https://unknown.example/hook")), "nothing to connect to");
        urls.checkIfResolvable(URI.create("https://unknown.example/hook"));
        assertThrows(OutboundUrls.Refused.class, () -> urls.checkIfResolvable(URI.create("https://rebinding.example/hook")));
    }

    @Test
    void anAllowListOpensPrivateRangesDeliberately() {
        OutboundUrls urls = new OutboundUrls(List.of("127.0.0.0/8", "::1"));
        assertEquals(1, urls.check(URI.create("http://127.0.0.1:9000/")).size());
        assertEquals(1, urls.check(URI.create("http://[::ffff:127.0.0.1]/")).size(), "a mapped address is its IPv4 address");
        assertThrows(OutboundUrls.Refused.class, () -> urls.check(URI.create("http://10.0.0.1/")));
    }

    @Test
    void onlyAbsoluteHttpUrlsWithoutUserInfo() {
        for (String url : List.of("ftp://h/", "file:///etc/passwd", "http://user:pw@h/", "/relative", "gopher://h/", "http://exa mple/")) {
            assertThrows(OutboundUrls.Refused.class, () -> OutboundUrls.form(url), url);
        }
        assertEquals("h.example", OutboundUrls.form("https://h.example/x?y=1").getHost());
    }
}
