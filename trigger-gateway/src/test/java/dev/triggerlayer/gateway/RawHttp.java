package dev.triggerlayer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Sends exactly the bytes given (HTTP clients refuse malformed URLs that attackers do send). */
final class RawHttp {

    record Answer(int status, String contentType, JsonNode json, String raw) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private RawHttp() {
    }

    static Answer get(int port, String target) throws Exception {
        return exchange(port, ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A request with these headers (each sent as given) and body; the connection closes after it. */
    static Answer send(int port, String method, String target, Map<String, String> headers, byte[] body) throws Exception {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
        if (headers.keySet().stream().noneMatch("host"::equalsIgnoreCase)) {
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        request.write(body);
        return exchange(port, request.toByteArray());
    }

    /** Sends exactly these bytes and reads the whole answer. */
    static Answer exchange(int port, byte[] request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            String head = response.substring(0, split).toLowerCase();
            String body = response.substring(split + 4);
            String type = head.contains("content-type: application/json") ? "application/json" : "other";
            if (head.contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            JsonNode json = null;
            try {
                json = type.equals("application/json") ? JSON.readTree(body) : null;
            } catch (Exception e) {
                // reported by the caller as a non-JSON answer
            }
            return new Answer(status, type, json, response.length() > 600 ? response.substring(0, 600) : response);
        }
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            int eol = body.indexOf("\r\n", i);
            int size = Integer.parseInt(body.substring(i, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
