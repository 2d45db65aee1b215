package io.tlsaccel.integration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http2.HttpVersionPolicy;

/**
 * The HTTP clients the stacks are fetched with, each on its usual TLS (the JDK's SunJSSE, or
 * OpenSSL for curl) trusting the test CA. Each answers what it fetched as "HTTP-version body".
 */
enum HttpClientKind {
    CURL {
        @Override
        String fetch(URI uri, boolean h2, Trust trust) throws Exception {
            List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "5",
                    h2 ? "--http2" : "--http1.1", "--cacert", trust.caPem().toString(),
                    "--resolve", uri.getHost() + ":" + uri.getPort() + ":127.0.0.1",
                    "-w", "\n%{http_version}", uri.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("curl failed: " + out.strip());
            }
            int nl = out.lastIndexOf('\n');
            String version = out.substring(nl + 1).equals("2") ? "HTTP/2.0" : "HTTP/" + out.substring(nl + 1);
            return version + " " + out.substring(0, nl);
        }
    },
    JDK_HTTP_CLIENT {
        @Override
        String fetch(URI uri, boolean h2, Trust trust) throws Exception {
            HttpClient client = HttpClient.newBuilder().sslContext(trust.context())
                    .version(h2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            String version = r.version() == HttpClient.Version.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1";
            return version + " " + r.body();
        }
    },
    OKHTTP {
        @Override
        String fetch(URI uri, boolean h2, Trust trust) throws Exception {
            OkHttpClient client = new OkHttpClient.Builder()
                    .sslSocketFactory(trust.context().getSocketFactory(), trust.trustManager())
                    .protocols(h2 ? List.of(Protocol.HTTP_2, Protocol.HTTP_1_1) : List.of(Protocol.HTTP_1_1))
                    .callTimeout(TIMEOUT).build();
            try (Response r = client.newCall(new Request.Builder().url(uri.toURL()).build()).execute()) {
                String version = r.protocol() == Protocol.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1";
                return version + " " + r.body().string();
            } finally {
                client.connectionPool().evictAll();
                client.dispatcher().executorService().shutdown();
            }
        }
    },
    APACHE_HTTP_CLIENT_5 {
        @Override
        String fetch(URI uri, boolean h2, Trust trust) throws Exception {
            TlsConfig tls = TlsConfig.custom()
                    .setVersionPolicy(h2 ? HttpVersionPolicy.FORCE_HTTP_2 : HttpVersionPolicy.FORCE_HTTP_1).build();
            try (CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                    .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                            .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(trust.context()).buildAsync())
                            .setDefaultTlsConfig(tls).build())
                    .build()) {
                client.start();
                SimpleHttpResponse r = client.execute(SimpleRequestBuilder.get(uri).build(), null)
                        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                return r.getVersion().format() + " " + r.getBodyText();
            }
        }
    };

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** What a client trusts: the test CA as a JDK SSLContext and trust manager, and as a PEM file. */
    record Trust(SSLContext context, X509TrustManager trustManager, Path caPem) {}

    abstract String fetch(URI uri, boolean h2, Trust trust) throws Exception;
}
