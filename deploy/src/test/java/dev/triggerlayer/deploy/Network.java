package dev.triggerlayer.deploy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' NetworkPolicy semantics for the checks in {@link ManifestsTest}: a connection is
 * allowed when the source's egress and the destination's ingress both allow it, and a side no
 * policy of that type selects allows everything. Only what the overlays use is modelled
 * (matchLabels, ipBlock with except, numbered ports); anything else fails the check.
 */
final class Network {

    /** A party to a connection: a pod (namespace and labels) or an address outside the cluster. */
    record Endpoint(String name, String namespace, Map<String, String> labels, String address) {
        static Endpoint pod(String name, String namespace, Map<String, String> labels) {
            return new Endpoint(name, namespace, labels, null);
        }

        static Endpoint outside(String name, String address) {
            return new Endpoint(name, null, Map.of(), address);
        }

        boolean isPod() {
            return address == null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final String namespace;
    private final List<NetworkPolicy> policies;

    Network(String namespace, List<NetworkPolicy> policies) {
        this.namespace = namespace;
        this.policies = policies;
    }

    boolean allows(Endpoint from, Endpoint to, int port) {
        return side(from, to, port, true) && side(to, from, port, false);
    }

    /** Whether the policies of {@code subject}'s side (egress if {@code egress}, else ingress) let it talk to {@code peer}. */
    private boolean side(Endpoint subject, Endpoint peer, int port, boolean egress) {
        if (!subject.isPod() || !namespace.equals(subject.namespace())) {
            return true;
        }
        String type = egress ? "Egress" : "Ingress";
        List<NetworkPolicy> selecting = policies.stream()
                .filter(p -> types(p).contains(type) && selects(p.getSpec().getPodSelector(), subject.labels()))
                .toList();
        if (selecting.isEmpty()) {
            return true;
        }
        for (NetworkPolicy p : selecting) {
            if (egress) {
                if (p.getSpec().getEgress().stream().anyMatch(r -> ports(r.getPorts(), port) && peers(r.getTo(), peer))) {
                    return true;
                }
            } else if (p.getSpec().getIngress().stream().anyMatch(r -> ports(r.getPorts(), port) && peers(r.getFrom(), peer))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> types(NetworkPolicy p) {
        List<String> types = p.getSpec().getPolicyTypes();
        if (types == null || types.isEmpty()) {
            throw new AssertionError(p.getMetadata().getName() + ": policyTypes must be explicit");
        }
        return types;
    }

    private static boolean ports(List<NetworkPolicyPort> ports, int port) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        return ports.stream().anyMatch(p -> {
            if (p.getPort() == null || p.getPort().getIntVal() == null) {
                throw new AssertionError("only numbered ports are modelled: " + p);
            }
            return p.getPort().getIntVal() == port && (p.getProtocol() == null || p.getProtocol().equals("TCP"));
        });
    }

    private boolean peers(List<NetworkPolicyPeer> peers, Endpoint peer) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        return peers.stream().anyMatch(p -> peer(p, peer));
    }

    private boolean peer(NetworkPolicyPeer p, Endpoint e) {
        if (p.getIpBlock() != null) {
            return !e.isPod() && inBlock(p.getIpBlock(), e.address());
        }
        if (!e.isPod()) {
            return false;
        }
        if (p.getNamespaceSelector() != null) {
            boolean ns = selects(p.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", e.namespace()));
            return ns && (p.getPodSelector() == null || selects(p.getPodSelector(), e.labels()));
        }
        return namespace.equals(e.namespace()) && selects(p.getPodSelector(), e.labels());
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            throw new AssertionError("matchExpressions are not modelled: " + selector);
        }
        Map<String, String> wanted = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return wanted.entrySet().stream().allMatch(w -> w.getValue().equals(labels.get(w.getKey())));
    }

    private static boolean inBlock(IPBlock block, String address) {
        if (!inCidr(block.getCidr(), address)) {
            return false;
        }
        return block.getExcept() == null || block.getExcept().stream().noneMatch(c -> inCidr(c, address));
    }

    static boolean inCidr(String cidr, String address) {
        try {
            String[] parts = cidr.split("/");
            byte[] net = InetAddress.getByName(parts[0]).getAddress();
            byte[] ip = InetAddress.getByName(address).getAddress();
            if (net.length != ip.length) {
                return false;
            }
            int bits = Integer.parseInt(parts[1]);
            int width = net.length * 8;
            BigInteger mask = bits == 0 ? BigInteger.ZERO
                    : BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE).shiftRight(width - bits).shiftLeft(width - bits);
            return new BigInteger(1, net).and(mask).equals(new BigInteger(1, ip).and(mask));
        } catch (Exception e) {
            throw new AssertionError("bad CIDR or address: " + cidr + " " + address, e);
        }
    }
}
