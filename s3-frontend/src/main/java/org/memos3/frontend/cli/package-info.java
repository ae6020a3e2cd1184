/** The memo-s3 command line: serve, its options and the root credentials. */
package org.memos3.frontend.cli;
