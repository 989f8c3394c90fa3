package dev.sessionhistory.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of one server, so a test can cut one client's link to
 * it without touching the server or other clients. While {@link #cut() cut}, every open
 * connection is reset and every new one is closed as soon as it is accepted: the client
 * sees a dead server, and nothing sent to it in the meantime (pub/sub events) reaches it.
 */
final class TcpProxy implements AutoCloseable {

	private final ServerSocket listener;

	private final int targetPort;

	private final List<Socket> open = new CopyOnWriteArrayList<>();

	private final AtomicInteger refused = new AtomicInteger();

	private volatile boolean cut;

	private volatile boolean closed;

	private TcpProxy(ServerSocket listener, int targetPort) {
		this.listener = listener;
		this.targetPort = targetPort;
	}

	static TcpProxy to(int targetPort) {
		try {
			ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			TcpProxy proxy = Cleanup.register(new TcpProxy(listener, targetPort));
			Thread acceptor = new Thread(proxy::accept, "proxy-accept-" + listener.getLocalPort());
			acceptor.setDaemon(true);
			acceptor.start();
			return proxy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	int port() {
		return this.listener.getLocalPort();
	}

	/** Resets every open connection and refuses new ones until {@link #restore()}. */
	void cut() {
		this.cut = true;
		this.open.forEach(TcpProxy::reset);
		this.open.clear();
	}

	void restore() {
		this.cut = false;
	}

	/** How many connections were refused while cut: the client did try to come back. */
	int refused() {
		return this.refused.get();
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.open.forEach(TcpProxy::reset);
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.listener.accept();
				if (this.cut) {
					this.refused.incrementAndGet();
					reset(client);
					continue;
				}
				Socket server = new Socket();
				server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.targetPort), 2000);
				this.open.add(client);
				this.open.add(server);
				if (this.cut) {
					// cut while this one was connecting
					reset(client);
					reset(server);
					continue;
				}
				pump(client, server);
				pump(server, client);
			}
			catch (IOException ex) {
				if (this.closed) {
					return;
				}
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int n;
				while (!this.cut && (n = in.read(buffer)) >= 0) {
					out.write(buffer, 0, n);
					out.flush();
				}
			}
			catch (IOException ex) {
				// the other side went away or the link was cut
			}
			finally {
				reset(from);
				reset(to);
				this.open.remove(from);
				this.open.remove(to);
			}
		}, "proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	/** Closes with SO_LINGER 0, so the peer gets a reset, as from a dropped link. */
	private static void reset(Socket socket) {
		try {
			socket.setSoLinger(true, 0);
			socket.close();
		}
		catch (IOException ex) {
			// already gone
		}
	}

}
