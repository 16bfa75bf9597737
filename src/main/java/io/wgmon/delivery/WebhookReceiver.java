package io.wgmon.delivery;

import io.wgmon.delivery.chat.ChatRenderer;
import io.wgmon.delivery.format.DeliveryRenderer;
import io.wgmon.delivery.format.PayloadFormat;
import io.wgmon.delivery.format.StandardWebhooksSigner;
import io.wgmon.delivery.format.WebhookSigner;
import io.wgmon.delivery.http.ReceiverAddress;
import io.wgmon.tracking.PeerEventType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One receiver as configured.
 *
 * @param tag       the {@code receiver} tag of its metrics, unique in the dispatcher
 * @param label     how logs name it (never the full URL)
 * @param spoolName its spool directory's name, stable across restarts
 * @param events    the event types it gets ({@code receivers.X.events})
 */
public record WebhookReceiver(String tag, String label, String spoolName, ReceiverAddress address,
                              PayloadFormat format, Optional<WebhookSigner> signer,
                              Optional<StandardWebhooksSigner> standardSigner, Optional<ChatRenderer> chat,
                              Set<PeerEventType> events) {
    /** What a receiver gets unless configured otherwise: today's two. */
    public static final Set<PeerEventType> DEFAULT_EVENTS = Set.of(PeerEventType.CONNECTED, PeerEventType.DISCONNECTED);

    public WebhookReceiver {
        events = Set.copyOf(events);
    }

    public WebhookReceiver(String tag, String label, String spoolName, ReceiverAddress address, PayloadFormat format,
                           Optional<WebhookSigner> signer) {
        this(tag, label, spoolName, address, format, signer, Optional.empty(), Optional.empty(), DEFAULT_EVENTS);
    }

    /** Signed the Standard Webhooks way instead of with X-Wgmon-Signature-256. */
    WebhookReceiver withStandardSigner(StandardWebhooksSigner standard) {
        return new WebhookReceiver(tag, label, spoolName, address, format, Optional.empty(), Optional.of(standard), chat,
                events);
    }

    /** A chat preset's receiver: its store keeps {@code format}'s events, each message is rendered when sent. */
    WebhookReceiver withChat(ChatRenderer renderer) {
        return new WebhookReceiver(tag, label, spoolName, address, format, signer, standardSigner,
                Optional.of(renderer), events);
    }

    /** The receiver getting these event types instead. */
    public WebhookReceiver withEvents(Set<PeerEventType> selected) {
        return new WebhookReceiver(tag, label, spoolName, address, format, signer, standardSigner, chat, selected);
    }

    /** Whether this receiver gets events of this type. */
    public boolean accepts(PeerEventType type) {
        return events.contains(type);
    }

    /** A receiver of {@code wgmon.webhook.url}: tagged host[:port](#n), spooled under a hash of its URL. */
    public static WebhookReceiver ofUrl(URI url, String tag, Map<String, String> headers, PayloadFormat format,
                                        Optional<WebhookSigner> signer) {
        return new WebhookReceiver(tag, url.getScheme() + "://" + tag, "url-" + sha256Prefix(url.toString()),
                new ReceiverAddress(url, headers), format, signer);
    }

    /** A receiver of {@code wgmon.webhook.receivers.<name>}: tagged and spooled by its name, so its URL may change. */
    public static WebhookReceiver named(String name, URI url, Map<String, String> headers, PayloadFormat format,
                                        Optional<WebhookSigner> signer) {
        return new WebhookReceiver(name, name + " (" + Receivers.label(url) + ")", "receiver-" + name,
                new ReceiverAddress(url, headers), format, signer);
    }

    private static String sha256Prefix(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** Turns events into this receiver's deliveries: its format and its signers. */
    public DeliveryRenderer renderer() {
        return new DeliveryRenderer(format, signer, standardSigner);
    }
}
