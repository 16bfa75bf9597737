import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** The demo's webhook receiver: prints every event it gets. Run: java scripts/DemoReceiver.java PORT */
public class DemoReceiver {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            System.out.printf("%n[receiver %s] %s %s (delivery %s)%n%s%n",
                    LocalTime.now().truncatedTo(ChronoUnit.MILLIS),
                    exchange.getRequestMethod(), exchange.getRequestURI(),
                    exchange.getRequestHeaders().getFirst("X-Wgmon-Delivery"), body);
            System.out.flush();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        System.out.println("[receiver] listening on http://127.0.0.1:" + port + "/");
    }
}
