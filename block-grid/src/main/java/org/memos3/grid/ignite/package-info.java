/**
 * The grid on Apache Ignite: node configuration, activation, caches, CAS entry processors and
 * sorted-index range queries. The only package of memo-s3 that imports Ignite.
 */
package org.memos3.grid.ignite;
