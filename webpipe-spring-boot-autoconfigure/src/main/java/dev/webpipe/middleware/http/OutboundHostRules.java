package dev.webpipe.middleware.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outbound host rules of {@code fetch} and remote {@code graphql}
 * (docs/middleware/fetch.md#outbound-host-rules): {@code webpipe.fetch.denied-hosts} (checked
 * first), {@code webpipe.fetch.allowed-hosts} (empty means any host) and
 * {@code webpipe.fetch.deny-private-addresses}, which refuses loopback, link-local, private and
 * unique-local addresses once a host name is resolved. A host listed exactly (not by a
 * {@code *.domain} entry) in {@code allowed-hosts} may resolve to a private address. Immutable.
 */
public final class OutboundHostRules {

	private static final OutboundHostRules NONE = new OutboundHostRules(List.of(), List.of(), false);

	private final List<Entry> allowed;

	private final List<Entry> denied;

	private final boolean denyPrivateAddresses;

	private OutboundHostRules(List<Entry> allowed, List<Entry> denied, boolean denyPrivateAddresses) {
		this.allowed = allowed;
		this.denied = denied;
		this.denyPrivateAddresses = denyPrivateAddresses;
	}

	/** No rule: every host and address may be called. */
	public static OutboundHostRules none() {
		return NONE;
	}

	/**
	 * @param allowed {@code webpipe.fetch.allowed-hosts}: {@code host}, {@code host:port} or {@code *.domain}
	 * @param denied {@code webpipe.fetch.denied-hosts}, same form
	 * @param denyPrivateAddresses {@code webpipe.fetch.deny-private-addresses}
	 * @throws IllegalArgumentException for an entry that is not of that form
	 */
	public static OutboundHostRules of(List<String> allowed, List<String> denied, boolean denyPrivateAddresses) {
		return new OutboundHostRules(entries(allowed, "allowed-hosts"), entries(denied, "denied-hosts"),
				denyPrivateAddresses);
	}

	private static List<Entry> entries(List<String> values, String property) {
		List<Entry> entries = new ArrayList<>();
		if (values != null) {
			for (String value : values) {
				if (value != null && !value.isBlank()) {
					entries.add(Entry.parse(value.trim(), property));
				}
			}
		}
		return List.copyOf(entries);
	}

	/** Whether any rule is set; without one, calls are not filtered at all. */
	public boolean isActive() {
		return !this.allowed.isEmpty() || !this.denied.isEmpty() || this.denyPrivateAddresses;
	}

	/**
	 * Whether the host name rules refuse a host: a {@code denied-hosts} entry matches it, or
	 * {@code allowed-hosts} is set and no entry matches it.
	 * @param host a host name or address literal (IPv6 with or without brackets)
	 * @param port the port that would be called
	 */
	public boolean refusesName(String host, int port) {
		String name = normalize(host);
		for (Entry entry : this.denied) {
			if (entry.matches(name, port)) {
				return true;
			}
		}
		if (this.allowed.isEmpty()) {
			return false;
		}
		for (Entry entry : this.allowed) {
			if (entry.matches(name, port)) {
				return false;
			}
		}
		return true;
	}

	/** Whether {@code allowed-hosts} lists the host exactly, so that it may resolve to a private address. */
	boolean listsExactly(String host, int port) {
		String name = normalize(host);
		for (Entry entry : this.allowed) {
			if (!entry.wildcard() && entry.matches(name, port)) {
				return true;
			}
		}
		return false;
	}

	/** Whether an address that a host resolved to is refused by {@code deny-private-addresses}. */
	public boolean refusesAddress(String host, int port, InetAddress address) {
		return this.denyPrivateAddresses && isPrivate(address) && !listsExactly(host, port);
	}

	/**
	 * Loopback, any-local ({@code 0.0.0.0}, {@code ::}), link-local, site-local/private
	 * (10/8, 172.16/12, 192.168/16), carrier-grade NAT (100.64/10), {@code 0/8} and unique-local
	 * IPv6 ({@code fc00::/7}) addresses; IPv4-mapped IPv6 addresses are judged by their IPv4 address.
	 */
	public static boolean isPrivate(InetAddress address) {
		if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			int first = bytes[0] & 0xFF;
			int second = bytes[1] & 0xFF;
			return first == 0 || (first == 100 && (second & 0xC0) == 64);
		}
		if (address instanceof Inet6Address) {
			if ((bytes[0] & 0xFE) == 0xFC) {
				return true;
			}
			boolean mappedOrCompatible = true;
			for (int i = 0; i < 10; i++) {
				mappedOrCompatible &= bytes[i] == 0;
			}
			if (mappedOrCompatible && ((bytes[10] == 0 && bytes[11] == 0) || (bytes[10] == -1 && bytes[11] == -1))) {
				try {
					byte[] v4 = { bytes[12], bytes[13], bytes[14], bytes[15] };
					return isPrivate(InetAddress.getByAddress(v4));
				}
				catch (java.net.UnknownHostException ex) {
					return true;
				}
			}
		}
		return false;
	}

	static String normalize(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		if (name.startsWith("[") && name.endsWith("]")) {
			name = name.substring(1, name.length() - 1);
		}
		while (name.endsWith(".")) {
			name = name.substring(0, name.length() - 1);
		}
		return name;
	}

	/**
	 * One entry of {@code allowed-hosts} or {@code denied-hosts}.
	 *
	 * @param host the host (for a wildcard, the domain after {@code *.})
	 * @param port the port, or {@code -1} for any
	 * @param wildcard whether the entry is {@code *.domain}: every name below the domain
	 */
	record Entry(String host, int port, boolean wildcard) {

		static Entry parse(String value, String property) {
			String host = value;
			int port = -1;
			if (value.startsWith("[")) {
				int close = value.indexOf(']');
				if (close < 0) {
					throw invalid(value, property);
				}
				host = value.substring(1, close);
				String rest = value.substring(close + 1);
				if (!rest.isEmpty()) {
					port = port(rest.startsWith(":") ? rest.substring(1) : "", value, property);
				}
			}
			else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
				int colon = value.indexOf(':');
				host = value.substring(0, colon);
				port = port(value.substring(colon + 1), value, property);
			}
			boolean wildcard = host.startsWith("*.");
			if (wildcard) {
				host = host.substring(2);
			}
			host = normalize(host);
			if (host.isEmpty() || host.contains("*") || host.contains("/")) {
				throw invalid(value, property);
			}
			return new Entry(host, port, wildcard);
		}

		private static int port(String text, String value, String property) {
			try {
				int port = Integer.parseInt(text);
				if (port >= 1 && port <= 65535) {
					return port;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			throw invalid(value, property);
		}

		private static IllegalArgumentException invalid(String value, String property) {
			return new IllegalArgumentException("webpipe.fetch." + property + ": '" + value
					+ "' is not a host, host:port or *.domain");
		}

		boolean matches(String name, int callPort) {
			if (this.port >= 0 && this.port != callPort) {
				return false;
			}
			return this.wildcard ? name.endsWith("." + this.host) : name.equals(this.host);
		}

	}

}
