/** S3's error table and the frontend's single error exception. */
package org.memos3.frontend.error;
