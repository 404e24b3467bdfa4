package dev.webpipe.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on 127.0.0.1 that can be shut and opened, to play a database that is down
 * and comes back: while shut, it closes every connection it has and refuses new ones (accepts
 * and closes them at once).
 */
public final class TcpGate implements AutoCloseable {

	private final ServerSocket server;

	private final InetSocketAddress target;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile boolean open;

	private volatile boolean closed;

	public TcpGate(String targetHost, int targetPort) {
		this.target = new InetSocketAddress(targetHost, targetPort);
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(this::acceptLoop, "tcp-gate-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	public void open() {
		this.open = true;
	}

	/** Closes every forwarded connection and refuses new ones until {@link #open()}. */
	public void shut() {
		this.open = false;
		this.sockets.forEach(TcpGate::closeQuietly);
		this.sockets.clear();
	}

	@Override
	public void close() {
		this.closed = true;
		shut();
		closeQuietly(this.server);
	}

	private void acceptLoop() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			if (!this.open) {
				closeQuietly(client);
				continue;
			}
			try {
				Socket upstream = new Socket();
				upstream.connect(this.target, 5000);
				this.sockets.add(client);
				this.sockets.add(upstream);
				pump(client, upstream);
				pump(upstream, client);
			}
			catch (IOException ex) {
				closeQuietly(client);
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[8192];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// the other side or the gate closed the connection
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "tcp-gate-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(java.io.Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// nothing to do
		}
	}

}
