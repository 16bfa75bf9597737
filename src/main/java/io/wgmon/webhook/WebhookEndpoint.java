package io.wgmon.webhook;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.io.Closeable;

/** REST client for a receiver; the base URI is the receiver's full URL (path and query included). */
public interface WebhookEndpoint extends Closeable {

    /** A null header value is not sent; {@code extra} is expanded by {@link PerRequestHeaders}. */
    @POST
    Uni<Response> post(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                       @HeaderParam(DeliveryHeaders.EVENT) String event,
                       @HeaderParam(DeliveryHeaders.DELIVERY) String deliveryId,
                       @HeaderParam(WebhookSigner.HEADER) String signature,
                       @HeaderParam(PerRequestHeaders.CARRIER) String extra,
                       byte[] body);

    /** Matrix's send: PUT to the URL plus the transaction id, which makes a retry idempotent. */
    @PUT
    @Path("{transaction}")
    Uni<Response> put(@PathParam("transaction") String transaction,
                      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                      @HeaderParam(DeliveryHeaders.EVENT) String event,
                      @HeaderParam(DeliveryHeaders.DELIVERY) String deliveryId,
                      @HeaderParam(WebhookSigner.HEADER) String signature,
                      @HeaderParam(PerRequestHeaders.CARRIER) String extra,
                      byte[] body);
}
