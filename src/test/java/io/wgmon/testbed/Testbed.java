package io.wgmon.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * TESTBED A, made fresh per test: a server namespace with a userspace WireGuard interface
 * (wireguard-go) behind a bridge, and one namespace per client, each with its own wireguard-go
 * interface peered with the server. Every name carries a random id so runs never collide
 * (UAPI sockets live in one directory shared by all namespaces). {@link #close()} removes
 * everything, also after a failed set-up.
 *
 * <pre>
 *   server ns: bridge 192.0.2.1/24, WireGuard ws&lt;id&gt; 10.10.10.1/24 listening on listenPort
 *   client n : veth 192.0.2.(1+n)/24, WireGuard wc&lt;id&gt;&lt;n&gt; 10.10.10.(1+n)/24, endpoint 192.0.2.1
 * </pre>
 */
public final class Testbed implements AutoCloseable {
    public static final Path UAPI_DIR = Path.of("/var/run/wireguard");
    private static final String SERVER_TUNNEL = "10.10.10.1";
    /** The rules in one place for the scripts, the benches and these beds (README, "The firewall rule"). */
    private static final Path RULE_SCRIPT = Path.of("scripts/lib/wgmon-rule.sh");

    private final String id;
    private final int listenPort;
    private final Path workDir;
    private final Map<String, Process> daemons = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private final List<String> privateKeys = new ArrayList<>();
    private String serverPublicKey;
    private Path serverKey;
    /** The server's peers as {@code wg set} arguments, in order, to configure a restarted daemon alike. */
    private final Map<String, List<String>> serverPeers = new LinkedHashMap<>();
    /** Peers {@link #removePeer} took off the server, for {@link #addPeerBack}. */
    private final Map<String, List<String>> removedPeers = new LinkedHashMap<>();

    public record Client(int number, String namespace, String interfaceName, String publicKey,
                         String address, String tunnelAddress) {
    }

    /** Which WireGuard implementation the interfaces are: wireguard-go, or the kernel module. */
    public enum Kind { USERSPACE, KERNEL }

    private final Kind kind;
    /** Where the server's wireguard-go puts its UAPI socket, and whose it is (see {@link #createOwnedBy}). */
    private Path serverUapiDir = UAPI_DIR;
    private int serverUid = 0;

    private Testbed(int listenPort, Kind kind) throws IOException {
        this.kind = kind;
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        this.id = HexFormat.of().formatHex(random).substring(0, 5);
        this.listenPort = listenPort;
        this.workDir = Files.createTempDirectory("wgmon-testbed-" + id);
    }

    public static Testbed create(int listenPort) throws IOException {
        return create(listenPort, Kind.USERSPACE);
    }

    public static Testbed create(int listenPort, Kind kind) throws IOException {
        return setUp(new Testbed(listenPort, kind));
    }

    /** The server set up, or everything removed again if that fails. */
    private static Testbed setUp(Testbed testbed) throws IOException {
        try {
            testbed.setUpServer();
            return testbed;
        } catch (RuntimeException | IOException e) {
            testbed.close();
            throw e;
        }
    }

    /**
     * A test bed whose server wireguard-go runs as {@code uid} (with CAP_NET_ADMIN only) and puts its
     * UAPI socket, srwx------ and owned by that uid, into {@code uapiDir} (a private mount over
     * /var/run/wireguard for the daemon and for {@code wg}): a userspace interface a non-root
     * monitor of that uid can open, as it can open kernel WireGuard through netlink.
     */
    public static Testbed createOwnedBy(int listenPort, Path uapiDir, int uid) throws IOException {
        Testbed testbed = new Testbed(listenPort, Kind.USERSPACE);
        testbed.serverUapiDir = uapiDir;
        testbed.serverUid = uid;
        return setUp(testbed);
    }

    private void setUpServer() throws IOException {
        addNamespace(serverNs());
        ip(serverNs(), "link", "set", "lo", "up");
        ip(serverNs(), "link", "add", serverBridge(), "type", "bridge");
        ip(serverNs(), "addr", "add", "192.0.2.1/24", "dev", serverBridge());
        ip(serverNs(), "link", "set", serverBridge(), "up");
        serverKey = generateKey("server");
        serverPublicKey = publicKeyOf(serverKey);
        addWireGuard(serverNs(), serverInterface());
        configureServer();
    }

    private void configureServer() {
        serverWg("set", serverInterface(), "listen-port", String.valueOf(listenPort),
                "private-key", serverKey.toString());
        serverPeers.values().forEach(peer -> {
            List<String> argv = new ArrayList<>(List.of("set", serverInterface()));
            argv.addAll(peer);
            serverWg(argv.toArray(String[]::new));
        });
        ip(serverNs(), "addr", "add", SERVER_TUNNEL + "/24", "dev", serverInterface());
        ip(serverNs(), "link", "set", serverInterface(), "up");
    }

    /**
     * The server's wireguard-go dies at once (SIGKILL), as after a crash or an OOM kill: its tun
     * link goes away with it, its UAPI socket file stays behind, stale.
     */
    public void killServerDaemon() throws InterruptedException {
        Process daemon = daemons.get(serverInterface());
        daemon.descendants().forEach(ProcessHandle::destroyForcibly);
        daemon.destroyForcibly();
        if (!daemon.waitFor(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server's wireguard-go did not die");
        }
    }

    /**
     * The server's wireguard-go stops (SIGSTOP) without dying, and its tun link is deleted: a daemon
     * caught mid-death, whose UAPI socket still accepts connections but never answers. End it with
     * {@link #killServerDaemon()}.
     */
    public void hangServerDaemonAndDeleteItsLink() {
        Process daemon = daemons.get(serverInterface());
        Shell.run(List.of("kill", "-STOP", String.valueOf(daemon.pid())));
        ip(serverNs(), "link", "del", serverInterface());
    }

    /**
     * The client drops its session with the server (its peer is removed and configured again), so its
     * next packet starts a new handshake at once instead of waiting for its old session to time out.
     */
    public void renewSession(Client client) {
        Path dir = workDir;
        sh(client.namespace(), "wg", "set", client.interfaceName(), "peer", serverPublicKey, "remove");
        sh(client.namespace(), "wg", "set", client.interfaceName(), "peer", serverPublicKey,
                "preshared-key", dir.resolve("client" + client.number() + ".psk").toString(),
                "allowed-ips", SERVER_TUNNEL + "/32", "endpoint", "192.0.2.1:" + listenPort);
    }

    /**
     * A new wireguard-go for the server interface, configured as before (same key, port, peers, address). The
     * firewall rules are left as they are, known endpoints included: wgmon flushes those when it reports the
     * interface down, so a peer back from the same endpoint is logged again.
     */
    public void restartServerDaemon() throws IOException {
        Files.deleteIfExists(serverUapiDir.resolve(serverInterface() + ".sock"));
        startWireGuardGo(serverNs(), serverInterface());
        configureServer();
    }

    /**
     * A new client namespace and interface, peered with the server. The server knows the peer
     * before the client is configured, so the client's first packet gets an immediate handshake.
     */
    public Client addClient() throws IOException {
        int n = clients.size() + 1;
        String ns = "wgm-c" + n + "-" + id;
        String iface = "wc" + id + n;
        String address = "192.0.2." + (1 + n);
        String tunnel = "10.10.10." + (1 + n);
        attachNamespace(n, ns, address);
        Path key = generateKey("client" + n);
        String publicKey = publicKeyOf(key);
        Path presharedKey = generatePresharedKey("client" + n);
        List<String> serverPeer = List.of("peer", publicKey, "preshared-key", presharedKey.toString(),
                "allowed-ips", tunnel + "/32");
        serverPeers.put(publicKey, serverPeer);
        List<String> argv = new ArrayList<>(List.of("set", serverInterface()));
        argv.addAll(serverPeer);
        serverWg(argv.toArray(String[]::new));
        addWireGuard(ns, iface);
        sh(ns, "wg", "set", iface, "private-key", key.toString(), "peer", serverPublicKey,
                "preshared-key", presharedKey.toString(),
                "allowed-ips", SERVER_TUNNEL + "/32", "endpoint", "192.0.2.1:" + listenPort);
        ip(ns, "addr", "add", tunnel + "/24", "dev", iface);
        ip(ns, "link", "set", iface, "up");
        Client client = new Client(n, ns, iface, publicKey, address, tunnel);
        clients.add(client);
        return client;
    }

    /**
     * A second device with the same configuration as {@code original} (its key, preshared key and tunnel
     * address), in a namespace and at an address of its own: two devices sharing one copied config.
     */
    public Client addCopyOf(Client original) throws IOException {
        int n = clients.size() + 1;
        String ns = "wgm-c" + n + "-" + id;
        String iface = "wc" + id + n;
        String address = "192.0.2." + (1 + n);
        attachNamespace(n, ns, address);
        Files.copy(workDir.resolve("client" + original.number() + ".key"), workDir.resolve("client" + n + ".key"));
        Files.copy(workDir.resolve("client" + original.number() + ".psk"), workDir.resolve("client" + n + ".psk"));
        addWireGuard(ns, iface);
        sh(ns, "wg", "set", iface, "private-key", workDir.resolve("client" + n + ".key").toString(),
                "peer", serverPublicKey, "preshared-key", workDir.resolve("client" + n + ".psk").toString(),
                "allowed-ips", SERVER_TUNNEL + "/32", "endpoint", "192.0.2.1:" + listenPort);
        ip(ns, "addr", "add", original.tunnelAddress() + "/24", "dev", iface);
        ip(ns, "link", "set", iface, "up");
        Client copy = new Client(n, ns, iface, original.publicKey(), address, original.tunnelAddress());
        clients.add(copy);
        return copy;
    }

    /** The client's link moves to another address on the server's network (a laptop changing networks). */
    public void moveClient(Client client, String address) {
        String veth = "vc" + id + client.number();
        // deleting a primary address deletes its secondaries: the old one goes first
        ip(client.namespace(), "addr", "del", client.address() + "/24", "dev", veth);
        ip(client.namespace(), "addr", "add", address + "/24", "dev", veth);
    }

    /** A client namespace joined to the server's bridge by a veth, at {@code address}. */
    private void attachNamespace(int n, String ns, String address) {
        String veth = "vc" + id + n;
        addNamespace(ns);
        ip(ns, "link", "set", "lo", "up");
        Shell.run(List.of("ip", "link", "add", veth, "type", "veth", "peer", "name", veth + "s"));
        Shell.run(List.of("ip", "link", "set", veth, "netns", ns));
        Shell.run(List.of("ip", "link", "set", veth + "s", "netns", serverNs()));
        ip(serverNs(), "link", "set", veth + "s", "master", serverBridge());
        ip(serverNs(), "link", "set", veth + "s", "up");
        ip(ns, "addr", "add", address + "/24", "dev", veth);
        ip(ns, "link", "set", veth, "up");
    }

    /**
     * The client sends a keepalive every {@code seconds} from now on, so the server sees steady
     * rx growth until the client is stopped.
     */
    public void keepAlive(Client client, int seconds) {
        sh(client.namespace(), "wg", "set", client.interfaceName(), "peer", serverPublicKey,
                "persistent-keepalive", String.valueOf(seconds));
    }

    /** Pings the server's tunnel address from the client: makes the handshake happen. */
    public void ping(Client client) {
        sh(client.namespace(), "ping", "-c", "1", "-W", "3", SERVER_TUNNEL);
    }

    /** Pings the server's tunnel address from the client every 0.2 s for {@code duration}, in the background. */
    public Process pingFor(Client client, Duration duration) throws IOException {
        return new ProcessBuilder("ip", "netns", "exec", client.namespace(), "ping", "-q", "-i", "0.2", "-w",
                String.valueOf(duration.toSeconds()), SERVER_TUNNEL).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * The client goes away for good, like a laptop shutting down: its WireGuard interface is
     * deleted, or its wireguard-go process ends (taking the interface down is not enough:
     * wireguard-go keeps sending keepalives).
     */
    public void stopClient(Client client) throws InterruptedException {
        if (kind == Kind.KERNEL) {
            ip(client.namespace(), "link", "del", client.interfaceName());
            return;
        }
        Process daemon = daemons.get(client.interfaceName());
        daemon.descendants().forEach(ProcessHandle::destroy);
        daemon.destroy();
        daemon.waitFor(5, TimeUnit.SECONDS);
    }

    /** Removes the client as a peer of the server. */
    public void removePeer(Client client) {
        removedPeers.put(client.publicKey(), serverPeers.remove(client.publicKey()));
        serverWg("set", serverInterface(), "peer", client.publicKey(), "remove");
    }

    /** Configures a client {@link #removePeer} removed as a peer of the server again, as it was. */
    public void addPeerBack(Client client) {
        List<String> peer = removedPeers.remove(client.publicKey());
        serverPeers.put(client.publicKey(), peer);
        List<String> argv = new ArrayList<>(List.of("set", serverInterface()));
        argv.addAll(peer);
        serverWg(argv.toArray(String[]::new));
    }

    /** Adds a peer to the server that has no client behind it and so never handshakes. */
    public String addSilentPeer(String allowedIp) throws IOException {
        String publicKey = publicKeyOf(generateKey("silent" + allowedIp.replace('/', '_')));
        serverPeers.put(publicKey, List.of("peer", publicKey, "allowed-ips", allowedIp));
        serverWg("set", serverInterface(), "peer", publicKey, "allowed-ips", allowedIp);
        return publicKey;
    }

    /**
     * Logs the WireGuard port's inbound handshakes and each session's first data packet to an NFLOG group,
     * except those from endpoints the server answered (a connected peer's rekeys), with the ruleset the
     * README documents; an endpoint stays known for {@code idleTimeout} (the monitor's) after the last
     * handshake the server answered it.
     */
    public void logToNflog(int group, Duration idleTimeout) {
        loadRuleset(group, idleTimeout.toSeconds() + "s");
    }

    /** The documented ruleset with a known endpoint's timeout of {@code timeout} (nft syntax, e.g. "30s"). */
    public void loadRuleset(int group, String timeout) {
        if (!Files.isRegularFile(RULE_SCRIPT)) {
            throw new IllegalStateException(RULE_SCRIPT.toAbsolutePath() + " not found: run the tests from the project folder");
        }
        String text = Shell.run(List.of("bash", "-c", "source \"$0\" && wgmon_nft_ruleset \"$@\"",
                RULE_SCRIPT.toString(), String.valueOf(listenPort), String.valueOf(group), timeout));
        Shell.run(List.of("ip", "netns", "exec", serverNs(), "nft", "-f", "-"), text);
    }

    /** {@code nft list set inet wgmon NAME} in the server's namespace: e.g. the known endpoints (known4). */
    public String nftSet(String name) {
        return sh(serverNs(), "nft", "list", "set", "inet", "wgmon", name);
    }

    /** Logs every inbound packet to the WireGuard port, data included: the rule wgmon documented before. */
    public void logEveryPacketToNflog(int group) {
        addNftChain();
        sh(serverNs(), "nft", "add", "rule", "inet", "wgmon", "input", "udp", "dport",
                String.valueOf(listenPort), "log", "group", String.valueOf(group));
    }

    private void addNftChain() {
        sh(serverNs(), "nft", "add", "table", "inet", "wgmon");
        sh(serverNs(), "nft", "add", "chain", "inet", "wgmon", "input",
                "{ type filter hook input priority 0 ; }");
    }

    public String sh(String namespace, String... argv) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(List.of(argv));
        return Shell.run(command);
    }

    /** {@code wg ARGS} on the server interface, in the server's namespace and UAPI directory. */
    private void serverWg(String... args) {
        List<String> argv = new ArrayList<>(inServerUapiDir());
        argv.add("wg");
        argv.addAll(List.of(args));
        sh(serverNs(), argv.toArray(String[]::new));
    }

    /** Command prefix that runs what follows with the server's UAPI directory as /var/run/wireguard. */
    private List<String> inServerUapiDir() {
        if (serverUapiDir.equals(UAPI_DIR)) {
            return List.of();
        }
        return List.of("unshare", "--mount", "sh", "-c", "mount --bind \"$0\" " + UAPI_DIR + " && exec \"$@\"",
                serverUapiDir.toString());
    }

    private void ip(String namespace, String... argv) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(List.of(argv));
        Shell.run(command);
    }

    private void addNamespace(String name) {
        Shell.run(List.of("ip", "netns", "add", name));
        namespaces.add(name);
    }

    private Path generateKey(String name) throws IOException {
        return generateSecret(name + ".key", "genkey");
    }

    private Path generatePresharedKey(String name) throws IOException {
        return generateSecret(name + ".psk", "genpsk");
    }

    private Path generateSecret(String fileName, String wgCommand) throws IOException {
        Path file = workDir.resolve(fileName);
        String key = Shell.run(List.of("wg", wgCommand)).trim();
        privateKeys.add(key);
        Files.writeString(file, key + "\n");
        return file;
    }

    /** Every private and preshared key this test bed generated (base64), for leak checks. */
    public List<String> privateKeys() {
        return List.copyOf(privateKeys);
    }

    private String publicKeyOf(Path privateKey) throws IOException {
        return Shell.run(List.of("wg", "pubkey"), Files.readString(privateKey)).trim();
    }

    private void addWireGuard(String namespace, String iface) throws IOException {
        if (kind == Kind.KERNEL) {
            ip(namespace, "link", "add", iface, "type", "wireguard");
        } else {
            startWireGuardGo(namespace, iface);
        }
    }

    private void startWireGuardGo(String namespace, String iface) throws IOException {
        boolean server = iface.equals(serverInterface());
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        if (server && serverUid != 0) {
            // in a mount namespace of its own: the test's UAPI folder as /var/run/wireguard and a
            // /dev/net/tun node the uid may open (the host's is root-only), then the daemon as that uid
            String uid = String.valueOf(serverUid);
            argv.addAll(List.of("unshare", "--mount", "sh", "-c",
                    "mount --bind \"$0\" " + UAPI_DIR + " && mount -t tmpfs -o mode=0755 wgmon-tun /dev/net"
                            + " && mknod -m 0600 /dev/net/tun c 10 200 && chown \"$1\" /dev/net/tun"
                            + " && exec setpriv --reuid \"$1\" --regid \"$1\" --clear-groups"
                            + " --inh-caps +net_admin --ambient-caps +net_admin wireguard-go -f \"$2\"",
                    serverUapiDir.toString(), uid, iface));
        } else {
            argv.addAll(List.of("wireguard-go", "-f", iface));
        }
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve(iface + ".log").toFile());
        builder.environment().put("WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD", "1");
        builder.environment().put("LOG_LEVEL", "error");
        daemons.put(iface, builder.start());
        Path socket = (server ? serverUapiDir : UAPI_DIR).resolve(iface + ".sock");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("wireguard-go did not create " + socket + ": "
                        + Files.readString(workDir.resolve(iface + ".log")));
            }
            sleep(20);
        }
    }

    public String serverNs() {
        return "wgm-s-" + id;
    }

    /** Namespace of the first client. */
    public String clientNs() {
        return clients.isEmpty() ? null : clients.get(0).namespace();
    }

    public String serverInterface() {
        return "ws" + id;
    }

    /** The server namespace's link to the clients (a bridge over the veths). */
    public String serverVeth() {
        return serverBridge();
    }

    private String serverBridge() {
        return "br" + id;
    }

    public String serverPublicKey() {
        return serverPublicKey;
    }

    public int listenPort() {
        return listenPort;
    }

    /** The UAPI directory of the server's interface. */
    public Path uapiDir() {
        return serverUapiDir;
    }

    public Path workDir() {
        return workDir;
    }

    public String id() {
        return id;
    }

    @Override
    public void close() {
        for (Process daemon : daemons.values()) {
            daemon.descendants().forEach(ProcessHandle::destroy);
            daemon.destroy();
        }
        for (Process daemon : daemons.values()) {
            try {
                if (!daemon.waitFor(5, TimeUnit.SECONDS)) {
                    daemon.descendants().forEach(ProcessHandle::destroyForcibly);
                    daemon.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String namespace : namespaces) {
            Shell.quietly(List.of("ip", "netns", "del", namespace));
        }
        try (var sockets = Files.list(UAPI_DIR)) {
            sockets.filter(p -> p.getFileName().toString().contains(id)).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // directory gone: nothing to remove
        }
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files only
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
