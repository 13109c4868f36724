package dev.triggerlayer.kit.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether an outbound URL (a tenant's HTTP subscription, say) may be called: only http and https,
 * no user info, and a host whose every address is public. Loopback, private, link-local (the cloud
 * metadata address 169.254.169.254 among them), carrier-grade NAT, unique-local, multicast,
 * unspecified and reserved addresses are refused, however the host is written (a name, a decimal
 * or IPv4-mapped IPv6 literal). The same check runs when the target is created and again right
 * before each connection, which then goes to the addresses just checked, so a name that later
 * resolves elsewhere (DNS rebinding) cannot reach a private address. {@code allowed} (CIDR blocks)
 * opens private ranges deliberately, for a local run or tests.
 */
public final class OutboundUrls {

    /** A refused URL, with why (for the caller's error message). */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Resolves host names; blocking (the JDK resolver), so callers run it off any event loop. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<Cidr> allowed;
    private final Resolver resolver;

    public OutboundUrls(List<String> allowedCidrs) {
        this(allowedCidrs, InetAddress::getAllByName);
    }

    public OutboundUrls(List<String> allowedCidrs, Resolver resolver) {
        this.allowed = allowedCidrs.stream().map(Cidr::parse).toList();
        this.resolver = resolver;
    }

    /** Checks the URL's form only (no DNS): scheme, host, no user info. */
    public static URI form(String raw) {
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (java.net.URISyntaxException e) {
            throw new Refused("is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new Refused("must be an absolute http or https URL with a host and no user info");
        }
        return uri;
    }

    /**
     * At creation of a target: refuses a host that resolves to a forbidden address, and accepts one
     * that does not resolve (yet: the name may be served by DNS the delivery will see); the check
     * before each connection decides then. Blocking.
     */
    public void checkIfResolvable(URI uri) {
        try {
            check(uri);
        } catch (Unresolved e) {
            // decided before each connection
        }
    }

    /** The host does not resolve: nothing to connect to. */
    public static final class Unresolved extends RuntimeException {
        Unresolved(String message) {
            super(message, null, false, false);
        }
    }

    /** The addresses the URL's host resolves to, each of them checked; blocking. */
    public List<InetAddress> check(URI uri) {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new Unresolved("its host " + host + " does not resolve");
        }
        List<InetAddress> ok = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (!isPublic(a) && allowed.stream().noneMatch(c -> c.contains(a))) {
                throw new Refused("its host " + host + " resolves to " + a.getHostAddress()
                        + ", a loopback, private, link-local or reserved address, which targets may not use");
            }
            ok.add(a);
        }
        if (ok.isEmpty()) {
            throw new Refused("its host " + host + " has no address");
        }
        return ok;
    }

    /** Whether the address is routable on the public internet. */
    public static boolean isPublic(InetAddress address) {
        InetAddress a = unmapped(address);
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return !(first == 0                                   // this network
                    || first == 100 && second >= 64 && second < 128  // carrier-grade NAT 100.64/10
                    || first == 192 && second == 0 && (b[2] & 0xff) == 0  // IETF protocol assignments
                    || first == 192 && second == 0 && (b[2] & 0xff) == 2  // TEST-NET-1
                    || first == 198 && (second == 18 || second == 19)     // benchmarking 198.18/15
                    || first == 198 && second == 51 && (b[2] & 0xff) == 100 // TEST-NET-2
                    || first == 203 && second == 0 && (b[2] & 0xff) == 113  // TEST-NET-3
                    || first >= 240);                                 // reserved and broadcast
        }
        int top = b[0] & 0xff;
        return !((top & 0xfe) == 0xfc                 // unique local fc00::/7
                || top == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8  // documentation 2001:db8::/32
                || top == 0 || top == 0xff);          // ::/8 (unspecified, v4-compatible), multicast
    }

    /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged as its IPv4 address. */
    private static InetAddress unmapped(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    return a;
                }
            }
        }
        return a;
    }

    /** An address block such as {@code 127.0.0.0/8} or {@code ::1/128}; a bare address is one address. */
    record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            String t = text.trim();
            int slash = t.indexOf('/');
            try {
                byte[] address = InetAddress.getByName(slash < 0 ? t : t.substring(0, slash)).getAddress();
                int bits = slash < 0 ? address.length * 8 : Integer.parseInt(t.substring(slash + 1));
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + text);
                }
                return new Cidr(address, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not an address block: " + text);
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = unmapped(address).getAddress();
            if (a.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
