package dev.webpipe.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The client of the idle-connection part of {@code concurrency.sh}
 * ({@code java -jar webpipe-benchmarks.jar idle-connections <port> <path> <count> <ready-file> <hold-seconds>}):
 * opens {@code count} keep-alive connections to the application on 127.0.0.1, sends one request on each and reads
 * its answer, writes how many answered 200 to {@code ready-file}, then holds every connection open and idle for
 * {@code hold-seconds} before closing them.
 */
final class IdleConnections {

	private IdleConnections() {
	}

	static void main(String[] args) throws IOException, InterruptedException {
		int port = Integer.parseInt(args[0]);
		String path = args[1];
		int count = Integer.parseInt(args[2]);
		Path ready = Path.of(args[3]);
		long holdSeconds = Long.parseLong(args[4]);
		byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		List<SocketChannel> open = new ArrayList<>(count);
		int ok = 0;
		ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
		try {
			for (int i = 0; i < count; i++) {
				SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
				open.add(channel);
				channel.write(ByteBuffer.wrap(request));
				buffer.clear();
				String head = "";
				// Reads until the end of the headers and a body of Content-Length bytes.
				while (true) {
					if (channel.read(buffer) < 0) {
						break;
					}
					head = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
					int end = head.indexOf("\r\n\r\n");
					if (end >= 0) {
						int length = contentLength(head);
						if (buffer.position() >= end + 4 + length) {
							break;
						}
					}
				}
				if (head.startsWith("HTTP/1.1 200")) {
					ok++;
				}
			}
			Files.writeString(ready, Integer.toString(ok));
			Thread.sleep(holdSeconds * 1000);
		}
		finally {
			for (SocketChannel channel : open) {
				channel.close();
			}
		}
	}

	private static int contentLength(String head) {
		for (String line : head.split("\r\n")) {
			if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
				return Integer.parseInt(line.substring(15).trim());
			}
		}
		return 0;
	}

}
