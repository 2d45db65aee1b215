package io.tlsaccel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/** The CLI server's HTTP/1.x handling, over plain streams (one write is one TLS record). */
class ServerHttpTest {

    /** Records each write call as one "record". */
    private static final class Writes extends OutputStream {
        final List<String> records = new ArrayList<>();
        final ByteArrayOutputStream all = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            records.add(new String(b, off, len, StandardCharsets.UTF_8));
            all.write(b, off, len);
        }
    }

    private static List<String> serve(String requests) throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, null, null);
        SSLSession session = c.createSSLEngine().getSession();
        Writes out = new Writes();
        ServerCommand.serveHttp(new ByteArrayInputStream(requests.getBytes(StandardCharsets.US_ASCII)), out, () -> session);
        return out.records;
    }

    @Test
    void eachAnswerIsOneWriteWithHeadAndBody() throws Exception {
        List<String> records = serve("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(2, records.size(), "two requests, two writes");
        for (String r : records) {
            assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
            assertTrue(r.contains("\r\n\r\n<!doctype html>"), "head and body together: " + r);
            assertTrue(r.contains("Connection: keep-alive"), r);
        }
    }

    @Test
    void bareLineFeedsEndLinesAndTheHead() throws Exception {
        for (String request : List.of("GET / HTTP/1.1\nHost: a\n\n", "GET / HTTP/1.1\r\nHost: a\n\r\n", "\r\nGET / HTTP/1.1\nHost: a\r\n\n")) {
            List<String> records = serve(request);
            assertEquals(1, records.size(), request);
            assertTrue(records.get(0).startsWith("HTTP/1.1 200 OK"), request);
        }
    }

    @Test
    void http10IsAnsweredAs10AndClosed() throws Exception {
        List<String> records = serve("GET / HTTP/1.0\r\n\r\nGET /never HTTP/1.1\r\n\r\n");
        assertEquals(1, records.size(), "closed after the HTTP/1.0 answer");
        assertTrue(records.get(0).startsWith("HTTP/1.0 200 OK\r\n"), records.get(0));
        assertTrue(records.get(0).contains("Connection: close"));
        List<String> keepAlive = serve("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertTrue(keepAlive.get(0).startsWith("HTTP/1.0 200 OK") && keepAlive.get(0).contains("Connection: close"));
    }

    @Test
    void connectionCloseAndBodiesAreHonoured() throws Exception {
        List<String> records = serve("POST / HTTP/1.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhelloGET / HTTP/1.1\r\n\r\n");
        assertEquals(1, records.size());
        assertTrue(records.get(0).contains("Connection: close"));
    }

    @Test
    void headsEndCleanlyOrFail() throws Exception {
        assertNull(ServerCommand.readHead(InputStream.nullInputStream()));
        assertThrows(IOException.class, () -> ServerCommand.readHead(new ByteArrayInputStream("GET / HTTP/1.1\r\nHost".getBytes(StandardCharsets.US_ASCII))));
        assertThrows(IOException.class, () -> ServerCommand.readHead(new ByteArrayInputStream(("GET /" + "a".repeat(20_000)).getBytes(StandardCharsets.US_ASCII))));
    }
}
