package io.wgmon.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * One GET, as a client on another host would send it. For an event stream only the status and the
 * headers are read: the body never ends.
 */
record HttpProbe(int status, String contentType, String wwwAuthenticate, String body) {

    static HttpProbe get(String url, String authorization) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(5000);
        if (authorization != null) {
            connection.setRequestProperty("Authorization", authorization);
        }
        try {
            int status = connection.getResponseCode();
            String contentType = connection.getContentType();
            String body = "";
            if (contentType == null || !contentType.startsWith("text/event-stream")) {
                InputStream stream = status < 400 ? connection.getInputStream() : connection.getErrorStream();
                body = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new HttpProbe(status, contentType, connection.getHeaderField("WWW-Authenticate"), body);
        } finally {
            connection.disconnect();
        }
    }
}
