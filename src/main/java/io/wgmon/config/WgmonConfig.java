package io.wgmon.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All of wgmon's settings (docs/architecture.md#config). The original wgmon's lower-case environment
 * variables are mapped onto these keys by {@link LegacyEnvAliases}.
 */
@ConfigMapping(prefix = "wgmon")
public interface WgmonConfig {

    /** Packet source: {@code nflog} or {@code bpf}. */
    @WithDefault("nflog")
    MonitorMode monitor();

    /** Host name put into every event; defaults to the machine's host name. */
    Optional<String> host();

    Nflog nflog();

    Bpf bpf();

    WireGuard wireguard();

    Tracking tracking();

    Webhook webhook();

    Store store();

    History history();

    Peers peers();

    Api api();

    Metrics metrics();

    Mqtt mqtt();

    Expect expect();

    /**
     * Traffic quotas by public key, friendly name, or {@code default} for every other peer
     * (docs/architecture.md#expectations).
     */
    Map<String, Quota> quota();

    interface Expect {
        /** Peers (public keys or friendly names) that must stay up, besides those the names files mark. */
        Optional<List<String>> alwaysOn();

        /** Peers whose disconnects chat receivers do not get, besides those the names files mark. */
        Optional<List<String>> roaming();

        /** How long an always-on peer may go without a handshake before {@code peer.down}, unless its file says. */
        @WithDefault("5m")
        Duration grace();
    }

    interface Quota {
        /** Bytes received plus sent in a period: {@code 100GB}, {@code 500MiB}, {@code 1TB}. */
        String limit();

        /** {@code day}, {@code week} (from Monday) or {@code month}, in UTC. */
        @WithDefault("month")
        String period();

        /** Percentages of the limit, each reported once per period. */
        @WithDefault("80,100")
        List<Integer> thresholds();
    }

    interface Store {
        /**
         * The folder of wgmon's store, the SQLite database {@code wgmon.db}: with it the tracker's state and
         * every receiver's undelivered events survive a restart; without it nothing is kept.
         */
        Optional<Path> dir();
    }

    /** Session history in the store (docs/architecture.md#sessions); only with {@code wgmon.store.dir}. */
    interface History {
        /** Sessions that ended longer ago than this are deleted. */
        @WithDefault("90d")
        Duration maxAge();

        /** At most this many session rows are kept; beyond it the oldest ended ones are deleted. */
        @WithDefault("1000000")
        long maxRows();
    }

    interface Nflog {
        /** NFLOG group the firewall logs WireGuard packets to, 0..65535. */
        @WithDefault("1")
        int group();
    }

    interface Bpf {
        @WithName("interface")
        @WithDefault("eth0")
        String networkInterface();

        @WithDefault("udp and dst port 3000 and (udp[8] = 1 or udp[8] = 2 or (udp[8] = 4 and udp[16:4] = 0 and udp[20:4] = 0))")
        String filter();

        /** Capture in promiscuous mode; not needed to see traffic addressed to this host. */
        @WithDefault("false")
        boolean promiscuous();
    }

    interface WireGuard {
        @WithDefault("auto")
        Backend backend();

        /** Interfaces to watch; empty means all that exist. */
        Optional<List<String>> interfaces();

        @WithDefault("/var/run/wireguard")
        Path uapiDir();

        /** How long one backend request may take before the scan counts as failed. */
        @WithDefault("2s")
        Duration requestTimeout();
    }

    interface Tracking {
        @WithDefault("180s")
        Duration idleTimeout();

        @WithDefault("5s")
        Duration tick();

        @WithDefault("250ms")
        Duration coalesce();

        @WithDefault("false")
        boolean reportExisting();

        /**
         * A configured peer without a handshake this long (or none since wgmon first saw it) is reported as
         * {@code peer.stale}, once per this period; 0 = never.
         */
        @WithDefault("30d")
        Duration staleAfter();

        /** Deprecated: adds {@code peer.roamed} to every receiver's {@code events}. */
        @WithDefault("false")
        boolean reportRoaming();

        /** After a source's first {@code handshake.failed}, how long its further failures are counted before the next. */
        @WithDefault("10m")
        Duration failedHandshakeWindow();
    }

    interface Webhook {
        /** Strings, not URIs: {@link ConfigCheck} checks them without printing more than scheme and host. */
        Optional<List<String>> url();

        @WithDefault("json")
        WebhookFormat format();

        Optional<String> secret();

        @WithDefault("2s")
        Duration connectTimeout();

        @WithDefault("5s")
        Duration requestTimeout();

        @WithDefault("500ms")
        Duration retryInitial();

        @WithDefault("60s")
        Duration retryMax();

        /** Events held in memory per receiver before new ones are dropped (and counted); without a spool only. */
        @WithDefault("10000")
        int queueSize();

        /** Extra request headers for every receiver, e.g. {@code wgmon.webhook.headers.Authorization}. */
        Map<String, String> headers();

        /**
         * The event types (wire names) the URLs of {@link #url()} get, and named receivers without their own
         * {@code events}; an unknown name stops start-up.
         */
        @WithDefault("peer.connected,peer.disconnected")
        List<String> events();

        /**
         * Named receivers, {@code wgmon.webhook.receivers.<name>.url} and so on, each with its own format,
         * secret, headers and event types.
         */
        Map<String, Receiver> receivers();

        /** Deprecated alias of {@code wgmon.store.dir}. */
        Optional<Path> spoolDir();

        /** Bytes of one receiver's undelivered events in the store; at the bound the oldest are dropped (and counted). */
        @WithDefault("16M")
        MemorySize spoolMaxSize();

        /** Events not delivered within this time after they happened are dropped (and counted). */
        @WithDefault("24h")
        Duration maxAge();

        /** Consecutive failed attempts after which a receiver gets one probe at a time instead of every lane. */
        @WithDefault("5")
        int circuitThreshold();

        Tls tls();

        interface Receiver {
            /** Checked by {@link ConfigCheck}, like {@link Webhook#url()}. */
            String url();

            /** Defaults to {@code wgmon.webhook.format}. */
            Optional<WebhookFormat> format();

            /** Defaults to {@code wgmon.webhook.secret}. */
            Optional<String> secret();

            /** Added to {@code wgmon.webhook.headers}; the receiver's value wins for the same name. */
            Map<String, String> headers();

            /** A chat service's request and message (docs/architecture.md#events); replaces {@code format}. */
            Optional<ChatPreset> preset();

            /** A Qute template of the body; replaces {@code format}. */
            Optional<String> template();

            /** A file holding the Qute template of the body. */
            Optional<Path> templateFile();

            /** Content-Type of a templated body. */
            @WithDefault("application/json")
            String contentType();

            /** {@code wgmon} (X-Wgmon-Signature-256) or {@code standard} (Standard Webhooks, a whsec_ secret). */
            @WithDefault("wgmon")
            SignatureScheme signature();

            /** The chat of the {@code telegram} preset. */
            Optional<String> chatId();

            /** The event types this receiver gets; defaults to {@code wgmon.webhook.events}. */
            Optional<List<String>> events();
        }

        interface Tls {
            /** PEM file with CA certificates trusted in addition to the JVM trust store. */
            Optional<Path> caFile();

            /** Accept any certificate and host name; for tests only, logged as a WARN at start. */
            @WithDefault("false")
            boolean insecureSkipVerify();
        }
    }

    interface Peers {
        /**
         * Files of friendly names, comma-separated: wg-quick files with {@code # friendly_name = ...} or
         * {@code # friendly_json = {...}} comments, or {@code pubkey = name} files; re-read when they change.
         */
        Optional<List<Path>> names();
    }

    interface Api {
        /**
         * Bearer token that opens the API, the event stream and the metrics to other hosts
         * (docs/architecture.md#surfaces); without it only loopback is answered.
         */
        Optional<String> token();

        /**
         * Whether a client whose connection comes from loopback needs no token (docs/architecture.md#surfaces).
         * Unset: trusted only while no token is configured.
         */
        Optional<Boolean> trustLoopback();

        /**
         * Host names the API, the page and the metrics answer to in {@code Host}, against DNS rebinding; IP
         * addresses always pass, {@code *} lets any name pass. Unset: localhost and the host name
         * ({@code wgmon.host}, else the kernel's).
         */
        Optional<List<String>> allowedHosts();

        /** How long a status-page login lasts; a restart (a new token) ends every session sooner. */
        @WithDefault("12h")
        Duration sessionLifetime();
    }

    /** Per-peer series on /q/metrics (docs/architecture.md#surfaces). */
    interface Metrics {
        /** Per-peer series at all; off on hosts with so many peers that a scrape would be too big. */
        @WithDefault("true")
        boolean perPeer();

        /** Also the popular exporters' series (wireguard_sent_bytes_total, ...), so their dashboards work. */
        @WithDefault("false")
        boolean exporterNames();

        /** An endpoint label (the peer's IP address and port) on wgmon_peer_up. */
        @WithDefault("false")
        boolean endpointLabel();
    }

    /** The MQTT sink (docs/architecture.md#mqtt): off unless {@code host} is set. */
    interface Mqtt {
        /** The broker's host name or address; unset: no MQTT. */
        Optional<String> host();

        /** Unset: 8883 with TLS, 1883 without. */
        Optional<Integer> port();

        @WithDefault("false")
        boolean tls();

        /** PEM file with the CA certificates the broker's certificate must chain to (else the JVM's). */
        Optional<Path> caFile();

        /** PEM client certificate (chain), with {@code client-key}. */
        Optional<Path> clientCert();

        /** PEM private key of {@code client-cert} (PKCS#8 or PKCS#1). */
        Optional<Path> clientKey();

        Optional<String> username();

        /** Never printed; prefer {@code password-file} (a mounted secret). */
        Optional<String> password();

        /** A file whose first line is the password. */
        Optional<Path> passwordFile();

        /** The first topic level(s): {@code <prefix>/<host>/...}. */
        @WithDefault("wgmon")
        String topicPrefix();

        /** MQTT keepalive: the only thing wgmon sends at rest. */
        @WithDefault("300s")
        Duration keepalive();

        /** Unset: {@code wgmon-<host>}. */
        Optional<String> clientId();

        /** {@code 5} (the event id also as a user property) or {@code 3.1.1} for brokers that speak only that. */
        @WithDefault("5")
        String protocol();

        /** Home Assistant MQTT discovery configs, retained. */
        @WithDefault("true")
        boolean discovery();

        @WithDefault("homeassistant")
        String discoveryPrefix();

        /** The first reconnect delay, doubling up to {@code retry-max}. */
        @WithDefault("1s")
        Duration retryInitial();

        @WithDefault("60s")
        Duration retryMax();
    }

    enum MonitorMode { NFLOG, BPF }

    enum Backend { AUTO, KERNEL, USERSPACE }

    enum WebhookFormat { JSON, CLOUDEVENTS, FORM }

    enum ChatPreset { SLACK, DISCORD, TEAMS, MATTERMOST, GOOGLE_CHAT, TELEGRAM, NTFY, GOTIFY, MATRIX, HOME_ASSISTANT }

    enum SignatureScheme { WGMON, STANDARD }
}
