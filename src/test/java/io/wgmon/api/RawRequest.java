package io.wgmon.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request written by hand, so that {@code Host} and forwarding headers are exactly what
 * an attacker sends (the JDK's clients refuse to set {@code Host}). The answer is read to the end.
 */
record RawRequest(int status, String head, String body) {

    static RawRequest get(String address, int port, String path, Map<String, String> headers) throws IOException {
        return send(address, port, "GET", path, headers, "");
    }

    static RawRequest send(String address, int port, String method, String path, Map<String, String> headers,
                           String body) throws IOException {
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        if (headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("Host"))) {
            request.append("Host: ").append(address.contains(":") ? "[" + address + "]" : address).append(':')
                    .append(port).append("\r\n");
        }
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        if (content.length > 0) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            String head = split < 0 ? answer : answer.substring(0, split);
            String rest = split < 0 ? "" : answer.substring(split + 4);
            return new RawRequest(Integer.parseInt(head.substring(9, 12)), head, rest);
        }
    }

    /** The first value of a response header, or null. */
    String header(String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        return head.lines().filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                .map(line -> line.substring(prefix.length()).strip()).findFirst().orElse(null);
    }
}
