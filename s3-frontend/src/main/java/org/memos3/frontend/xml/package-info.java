/**
 * S3's XML bodies as Jackson-mapped records, and the hardened mapper that reads and writes them.
 */
package org.memos3.frontend.xml;
