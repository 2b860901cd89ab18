import { KenwoodFramer } from '../../kenwood/framer.js';

/**
 * Cuts a newcat byte stream into `;`-terminated commands. The framing is exactly Kenwood's (the newcat
 * protocol is its descendant): bytes split anywhere, several commands in one write (`MD02;MD0;`,
 * `AB;MD02;FB007076000;`), CR/LF/NUL ignored, a bounded frame length. Newcat frames are shorter, so the
 * cap is lower.
 */
export class NewcatFramer extends KenwoodFramer {
  constructor(maxFrameBytes = 48) {
    super(maxFrameBytes);
  }
}
