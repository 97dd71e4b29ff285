/**
 * The presence store's layout in Redis ({@link io.presence.common.store.PresenceSchema}), its configuration and the
 * values it holds (members, user statuses); it uses no other package of common, so {@code event}, {@code webhook} and
 * {@code presence} can all build on it without a cycle.
 */
package io.presence.common.store;
