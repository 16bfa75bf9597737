package io.wgmon.delivery.mqtt;

import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;

/** A failure of the broker connection as a short phrase for one log line: never a credential. */
final class MqttFailures {
    private MqttFailures() {
    }

    static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ConnectionFailedException)
                && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof Mqtt5ConnAckException refused) {
            var ack = refused.getMqttMessage();
            String reason = ack.getReasonString().map(text -> " (" + text + ")").orElse("");
            return switch (ack.getReasonCode()) {
                case BAD_USER_NAME_OR_PASSWORD -> "the broker refused the user name or password" + reason;
                case NOT_AUTHORIZED ->
                        "the broker says not authorized (a wrong user name or password, or no access)" + reason;
                case UNSUPPORTED_PROTOCOL_VERSION ->
                        "the broker does not speak MQTT 5: set wgmon.mqtt.protocol=3.1.1" + reason;
                default -> "the broker refused the connection: " + ack.getReasonCode() + reason;
            };
        }
        if (cause instanceof Mqtt3ConnAckException refused) {
            return switch (refused.getMqttMessage().getReturnCode()) {
                case BAD_USER_NAME_OR_PASSWORD -> "the broker refused the user name or password";
                case NOT_AUTHORIZED -> "the broker says not authorized (a wrong user name or password, or no access)";
                case UNSUPPORTED_PROTOCOL_VERSION -> "the broker does not speak MQTT 3.1.1";
                default -> "the broker refused the connection: " + refused.getMqttMessage().getReturnCode();
            };
        }
        SSLException tls = tlsFailure(cause);
        if (tls != null) {
            Throwable root = tls;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            // TLS 1.3: the broker's alert comes after the client's side of the handshake ended
            return "TLS handshake failed: " + root.getMessage() + (String.valueOf(root.getMessage())
                    .contains("certificate_required") ? " (the broker wants a client certificate: set "
                    + "wgmon.mqtt.client-cert and wgmon.mqtt.client-key)" : "");
        }
        if (cause instanceof ConnectException) {
            return "connection refused or unreachable: " + cause.getMessage();
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host";
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static SSLException tlsFailure(Throwable failure) {
        for (Throwable link = failure; link != null; link = link.getCause() == link ? null : link.getCause()) {
            if (link instanceof SSLException tls) {
                return tls;
            }
        }
        return null;
    }
}
