package dev.webpipe.middleware.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.function.Predicate;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * Applies the {@link OutboundHostRules} where every connection of the outbound client starts: when
 * its address is resolved. The host name is checked before DNS, every address it resolves to
 * after, so the rules hold for the first call, for every redirect hop and against DNS rebinding
 * (docs/middleware/fetch.md#outbound-host-rules). A refused address fails the connection with
 * {@link OutboundHttp.HostNotAllowedException} before any connection is made.
 * <p>
 * Addresses given as IP literals are already resolved; this resolver reports every address as
 * unresolved so that Reactor Netty hands literals to it as well.
 */
final class FilteringAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

	private final AddressResolverGroup<?> delegate;

	private final OutboundHostRules rules;

	private final Predicate<InetSocketAddress> exempt;

	/**
	 * @param delegate the resolver that does the DNS work
	 * @param rules the rules
	 * @param exempt addresses that are never checked (the application itself, for relative URLs)
	 */
	FilteringAddressResolverGroup(AddressResolverGroup<?> delegate, OutboundHostRules rules,
			Predicate<InetSocketAddress> exempt) {
		this.delegate = delegate;
		this.rules = rules;
		this.exempt = exempt;
	}

	@Override
	@SuppressWarnings("unchecked")
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		return new FilteringResolver(executor, (AddressResolver<SocketAddress>) this.delegate.getResolver(executor));
	}

	private final class FilteringResolver implements AddressResolver<InetSocketAddress> {

		private final EventExecutor executor;

		private final AddressResolver<SocketAddress> delegate;

		FilteringResolver(EventExecutor executor, AddressResolver<SocketAddress> delegate) {
			this.executor = executor;
			this.delegate = delegate;
		}

		@Override
		public boolean isSupported(SocketAddress address) {
			return address instanceof InetSocketAddress;
		}

		@Override
		public boolean isResolved(SocketAddress address) {
			return false;
		}

		@Override
		public Future<InetSocketAddress> resolve(SocketAddress address) {
			return resolve(address, this.executor.newPromise());
		}

		@Override
		public Future<InetSocketAddress> resolve(SocketAddress address, Promise<InetSocketAddress> promise) {
			resolveAll(address, this.executor.<List<InetSocketAddress>>newPromise()).addListener((done) -> {
				if (done.isSuccess()) {
					@SuppressWarnings("unchecked")
					List<InetSocketAddress> all = (List<InetSocketAddress>) done.getNow();
					promise.trySuccess(all.get(0));
				}
				else {
					promise.tryFailure(done.cause());
				}
			});
			return promise;
		}

		@Override
		public Future<List<InetSocketAddress>> resolveAll(SocketAddress address) {
			return resolveAll(address, this.executor.newPromise());
		}

		@Override
		public Future<List<InetSocketAddress>> resolveAll(SocketAddress address,
				Promise<List<InetSocketAddress>> promise) {
			InetSocketAddress target = (InetSocketAddress) address;
			String host = target.getHostString();
			int port = target.getPort();
			if (FilteringAddressResolverGroup.this.exempt.test(target)) {
				return delegateAll(target, promise, false);
			}
			if (FilteringAddressResolverGroup.this.rules.refusesName(host, port)) {
				return promise.setFailure(new OutboundHttp.HostNotAllowedException(host));
			}
			if (!target.isUnresolved()) {
				return checked(host, port, List.of(target), promise);
			}
			return delegateAll(target, promise, true);
		}

		private Future<List<InetSocketAddress>> delegateAll(InetSocketAddress target,
				Promise<List<InetSocketAddress>> promise, boolean check) {
			if (!target.isUnresolved()) {
				return promise.setSuccess(List.of(target));
			}
			this.delegate.resolveAll(target).addListener((done) -> {
				if (!done.isSuccess()) {
					promise.tryFailure(done.cause());
					return;
				}
				@SuppressWarnings("unchecked")
				List<InetSocketAddress> all = (List<InetSocketAddress>) done.getNow();
				if (check) {
					checked(target.getHostString(), target.getPort(), all, promise);
				}
				else {
					promise.trySuccess(all);
				}
			});
			return promise;
		}

		/** Refuses the host when any address it resolved to is refused (a rebinding answer mixes them). */
		private Future<List<InetSocketAddress>> checked(String host, int port, List<InetSocketAddress> all,
				Promise<List<InetSocketAddress>> promise) {
			for (InetSocketAddress resolved : all) {
				if (resolved.getAddress() == null
						|| FilteringAddressResolverGroup.this.rules.refusesAddress(host, port, resolved.getAddress())) {
					promise.tryFailure(new OutboundHttp.HostNotAllowedException(host));
					return promise;
				}
			}
			promise.trySuccess(all);
			return promise;
		}

		@Override
		public void close() {
			// the delegate's resolvers belong to the delegate group, closed with it
		}

	}

	@Override
	public void close() {
		super.close();
		this.delegate.close();
	}

}
