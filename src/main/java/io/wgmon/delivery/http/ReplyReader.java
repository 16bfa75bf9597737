package io.wgmon.delivery.http;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.wgmon.delivery.queue.ReplyOutcome;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One exchange on a receiver's Vert.x HTTP client (docs/architecture.md#delivery): the request goes out whole,
 * and of the reply only the status and Retry-After are kept. The body is read and discarded as it arrives;
 * once more than {@link #MAX_BODY} bytes came (or Content-Length announces more), the connection is closed.
 * A 2xx whose body is over the cap is a failed attempt ({@link ReceiverFailure#replyTooLarge}); any other
 * status keeps its meaning, the body being irrelevant to it. Once a connection is had (connecting is bounded by
 * the connect timeout), the exchange, first byte out to last byte in, must end within the request timeout,
 * else it fails as "no reply within T" and the connection is closed.
 */
final class ReplyReader {
    static final int MAX_BODY = 8 * 1024;

    private final HttpClient http;
    private final Duration requestTimeout;

    ReplyReader(HttpClient http, Duration requestTimeout) {
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    Uni<ReceiverReply> exchange(ReceiverRequest request) {
        return Uni.createFrom().<ReceiverReply>emitter(emitter -> start(request, emitter))
                .onFailure().transform(failure -> ReceiverFailure.of(failure, request.target()));
    }

    private void start(ReceiverRequest request, UniEmitter<? super ReceiverReply> emitter) {
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicReference<ScheduledFuture<?>> deadline = new AtomicReference<>();
        emitter.onTermination(() -> {
            ScheduledFuture<?> timer = deadline.get();
            if (timer != null) {
                timer.cancel(false);
            }
            HttpClientRequest open = sent.get();
            if (finished.compareAndSet(false, true)) {
                cancelled.set(true);
                if (open != null) {
                    open.reset(); // cancelled or timed out: the connection is not reused
                }
            }
        });
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method()))
                .setAbsoluteURI(request.target().toString())
                .setFollowRedirects(false);
        Consumer<Throwable> fail = failure -> {
            if (finished.compareAndSet(false, true)) {
                emitter.fail(failure);
            }
        };
        http.request(options).onFailure(fail::accept).onSuccess(outgoing -> {
            sent.set(outgoing);
            if (cancelled.get()) {
                outgoing.reset();
                return;
            }
            // from here, not from the call: a wait for a pooled connection is not the receiver's delay
            deadline.set(Infrastructure.getDefaultWorkerPool().schedule(() -> {
                if (finished.compareAndSet(false, true)) {
                    emitter.fail(ReceiverFailure.noReplyWithin(requestTimeout)); // before the reset fails it otherwise
                    outgoing.reset();
                }
            }, requestTimeout.toMillis(), TimeUnit.MILLISECONDS));
            request.headers().forEach(outgoing::putHeader);
            outgoing.send(Buffer.buffer(request.body())).onFailure(fail::accept)
                    .onSuccess(reply -> read(reply, emitter, finished, fail));
        });
    }

    private static void read(HttpClientResponse reply, UniEmitter<? super ReceiverReply> emitter, AtomicBoolean finished,
                             Consumer<Throwable> fail) {
        ReceiverReply answer = new ReceiverReply(reply.statusCode(), reply.getHeader("Retry-After"));
        boolean accepted = ReplyOutcome.of(answer.status()) == ReplyOutcome.DELIVERED;
        long[] read = {0};
        Runnable overCap = () -> {
            if (finished.compareAndSet(false, true)) {
                reply.request().connection().close();
                if (accepted) {
                    emitter.fail(ReceiverFailure.replyTooLarge(MAX_BODY));
                } else {
                    emitter.complete(answer);
                }
            }
        };
        if (announcedLength(reply) > MAX_BODY) {
            overCap.run();
            return;
        }
        reply.exceptionHandler(fail::accept);
        reply.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > MAX_BODY) {
                overCap.run();
            }
        });
        reply.endHandler(end -> {
            if (finished.compareAndSet(false, true)) {
                emitter.complete(answer);
            }
        });
    }

    private static long announcedLength(HttpClientResponse reply) {
        String length = reply.getHeader("Content-Length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
