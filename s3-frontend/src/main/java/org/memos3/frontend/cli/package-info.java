/**
 * The memo-s3 command line: serve, its options and the root credentials, and the commands that work
 * on a stopped node's data directory (gc, master-key, user, key, bucket).
 */
package org.memos3.frontend.cli;
