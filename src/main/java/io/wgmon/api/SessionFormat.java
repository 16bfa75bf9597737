package io.wgmon.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/** JSON, or CSV when {@code format=csv} or the client accepts text/csv and not JSON first. */
final class SessionFormat {
    private SessionFormat() {
    }

    static Response answer(SessionList list, String format, HttpHeaders headers) {
        if (csv(format, headers)) {
            return Response.ok(SessionCsv.of(list.sessions()), SessionCsv.MEDIA_TYPE + "; charset=utf-8")
                    .header("Content-Disposition", "inline; filename=\"wgmon-sessions.csv\"")
                    .header("Link", list.next() == null ? null : "<?cursor=" + list.next() + ">; rel=\"next\"")
                    .build();
        }
        return Response.ok((StreamingOutput) output -> SessionJson.write(list, output), MediaType.APPLICATION_JSON_TYPE)
                .build();
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
