/**
 * Manifests: the immutable, encrypted description of an object version, and the bounded-fan-out
 * tree of chunk refs behind it.
 */
package org.memos3.kv.manifest;
