package cn.yekuo.hub.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A minimal STOMP 1.2 client over a plain socket: what a billing system without JMS would use. */
public final class StompClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public StompClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends CONNECT and returns the broker's answer (CONNECTED or ERROR). */
    public Frame connect(String login, String passcode) throws IOException {
        send("CONNECT", Map.of("accept-version", "1.2", "host", "localhost", "login", login, "passcode", passcode), null, false);
        return read();
    }

    public void send(String command, Map<String, String> headers, String body, boolean withContentLength) throws IOException {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder frame = new StringBuilder(command).append('\n');
        headers.forEach((k, v) -> frame.append(k).append(':').append(v).append('\n'));
        if (withContentLength) {
            frame.append("content-length:").append(payload.length).append('\n');
        }
        frame.append('\n');
        out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
        out.write(payload);
        out.write(0);
        out.flush();
    }

    /** Reads one frame (no content-length support needed for what the hub sends: text bodies end at NUL). */
    public Frame read() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != 0) {
            raw.write(b);
        }
        String text = raw.toString(StandardCharsets.UTF_8).replaceFirst("^\\n+", "");
        int blank = text.indexOf("\n\n");
        String head = blank < 0 ? text : text.substring(0, blank);
        String body = blank < 0 ? "" : text.substring(blank + 2);
        String[] lines = head.split("\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon), lines[i].substring(colon + 1));
            }
        }
        return new Frame(lines[0], headers, body);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    public record Frame(String command, Map<String, String> headers, String body) {
    }
}
