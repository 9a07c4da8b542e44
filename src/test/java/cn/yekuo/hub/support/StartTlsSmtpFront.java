package cn.yekuo.hub.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An SMTP submission front with STARTTLS before a plain SMTP server (GreenMail has no STARTTLS), as a mail server's
 * port 587 is: it greets, offers only STARTTLS, refuses anything else before it, upgrades the connection with the
 * given server certificate, and then relays the encrypted session to the plain server (whose greeting it swallows),
 * so the client's EHLO, AUTH and mail after STARTTLS reach the real server.
 */
public final class StartTlsSmtpFront implements AutoCloseable {

    private final ServerSocket server;
    private final SSLContext tls;
    private final int backendPort;
    private volatile int upgraded;

    public StartTlsSmtpFront(int port, int backendPort, SSLContext tls) throws IOException {
        this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        this.tls = tls;
        this.backendPort = backendPort;
        Thread accept = new Thread(this::accept, "starttls-front");
        accept.setDaemon(true);
        accept.start();
    }

    /** Connections upgraded with STARTTLS so far. */
    public int upgraded() {
        return upgraded;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "starttls-front-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            write(out, "220 front ESMTP");
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                if (verb.equals("EHLO") || verb.equals("HELO")) {
                    write(out, "250-front\r\n250 STARTTLS");
                } else if (line.equalsIgnoreCase("STARTTLS")) {
                    write(out, "220 2.0.0 Ready to start TLS");
                    break;
                } else if (verb.equals("QUIT")) {
                    write(out, "221 2.0.0 Bye");
                    return;
                } else {
                    write(out, "530 5.7.0 Must issue a STARTTLS command first");
                }
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(client, null, client.getPort(), false);
            secure.setUseClientMode(false);
            secure.startHandshake();
            upgraded++;
            try (secure; Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort)) {
                readLine(backend.getInputStream()); // the plain server's greeting: the client had ours
                Thread up = new Thread(() -> pipe(secure, backend), "starttls-front-up");
                up.setDaemon(true);
                up.start();
                pipe(backend, secure);
            }
        } catch (IOException ended) {
            // the client or the server closed the session
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException ended) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException | UnsupportedOperationException ignored) {
                try {
                    to.close();
                } catch (IOException alsoIgnored) {
                    // closing anyway
                }
            }
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One line without its CRLF, read byte by byte so that nothing after it (the TLS handshake) is consumed. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
