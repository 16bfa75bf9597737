package io.wgmon.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.util.Optional;

/** JSON, or CSV when {@code format=csv} or the client accepts text/csv and not JSON first. */
final class SessionFormat {
    private SessionFormat() {
    }

    /** @param pathKey the key of {@code /api/peers/{key}/sessions}, which stands for the peer parameter */
    static Response answer(SessionHistory history, SessionParams params, Optional<String> pathKey, String format,
                           HttpHeaders headers) throws IOException {
        if (csv(format, headers)) {
            SessionList list = history.list(params, pathKey);
            return Response.ok(SessionCsv.of(list.sessions()), SessionCsv.MEDIA_TYPE + "; charset=utf-8")
                    .header("Content-Disposition", "inline; filename=\"wgmon-sessions.csv\"")
                    .header("Link", list.next() == null ? null : "<?cursor=" + list.next() + ">; rel=\"next\"")
                    .build();
        }
        return Response.ok(history.json(params, pathKey).buffer(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static boolean csv(String format, HttpHeaders headers) {
        if (format != null && !format.isEmpty()) {
            return switch (format) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw ApiError.badRequest("format: " + SessionHistory.quote(format)
                        + " is neither json nor csv");
            };
        }
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType()) {
                return false;
            }
            if (type.getType().equals("text") && type.getSubtype().equals("csv")) {
                return true;
            }
        }
        return false;
    }
}
