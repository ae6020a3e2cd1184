/**
 * The Netty HTTP layer: connections, back-pressured request bodies, streamed responses. The only
 * package of memo-s3 that imports Netty.
 */
package org.memos3.frontend.http;
