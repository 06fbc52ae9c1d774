// A minimal RTSP server on loopback that plays the part of an IP camera for the camera-bridge tests: a publisher
// (ffmpeg) pushes a stream to a path with ANNOUNCE/SETUP/RECORD, and readers pull it from the same path with
// DESCRIBE/SETUP/PLAY, as from a camera. RTP travels interleaved on the RTSP connection (TCP), the transport the
// bridge asks a camera for; UDP is refused with 461. When the publisher goes, its readers are disconnected, as a
// camera that loses power drops its viewers. The npm RTSP servers were tried first: rtsp-streaming-server serves
// readers over UDP only (it answers 461 to the TCP transport the bridge uses), so this is written here.
import { createServer, type Server, type Socket } from 'node:net';

/** Bounds: one RTSP request head/body, and what may wait unsent for a slow reader before packets are dropped. */
const MAX_PENDING_BYTES = 1 << 20;
const MAX_READER_BACKLOG_BYTES = 4 << 20;

interface RtspRequest {
  method: string;
  url: string;
  headers: Map<string, string>;
  body: string;
}

/** One publishing stream: its SDP and who reads it. */
interface Mount {
  sdp: string;
  publisher: Connection;
  readers: Set<Connection>;
}

/** One RTSP connection (a publisher or a reader) and the interleaved channels it set up. */
interface Connection {
  socket: Socket;
  session: string;
  path: string | undefined;
  /** by track control (`streamid=0`): the first of its two interleaved channels (RTP; RTCP is the next one) */
  channels: Map<string, number>;
  role: 'none' | 'publisher' | 'reader';
  announcedSdp: string | undefined;
}

export interface RtspRelayServer {
  port: number;
  /** Paths being published now. */
  readonly publishing: () => string[];
  stop(): Promise<void>;
}

export async function startRtspRelayServer(port: number): Promise<RtspRelayServer> {
  /** by URL path */
  const mounts = new Map<string, Mount>();
  const sockets = new Set<Socket>();
  let sessions = 0;

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const conn: Connection = {
      socket,
      session: String(++sessions),
      path: undefined,
      channels: new Map(),
      role: 'none',
      announcedSdp: undefined,
    };
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      pending = consume(conn, pending);
      if (pending.length > MAX_PENDING_BYTES) socket.destroy();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      closeConnection(conn);
    });
  });

  /** Handles every complete message at the start of `buffer`; returns the incomplete rest. */
  function consume(conn: Connection, buffer: Buffer): Buffer {
    let rest = buffer;
    for (;;) {
      if (rest.length === 0) return rest;
      if (rest[0] === 0x24) {
        // interleaved binary packet: '$', channel, 16-bit length
        if (rest.length < 4) return rest;
        const length = rest.readUInt16BE(2);
        if (rest.length < 4 + length) return rest;
        relay(conn, rest.subarray(0, 4 + length));
        rest = rest.subarray(4 + length);
        continue;
      }
      const headEnd = rest.indexOf('\r\n\r\n');
      if (headEnd < 0) return rest;
      const [requestLine = '', ...lines] = rest.subarray(0, headEnd).toString('latin1').split('\r\n');
      const headers = new Map<string, string>();
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      const bodyLength = Number(headers.get('content-length') ?? '0');
      if (!Number.isInteger(bodyLength) || bodyLength < 0 || bodyLength > MAX_PENDING_BYTES) {
        conn.socket.destroy();
        return Buffer.alloc(0);
      }
      if (rest.length < headEnd + 4 + bodyLength) return rest;
      const body = rest.subarray(headEnd + 4, headEnd + 4 + bodyLength).toString('utf8');
      rest = rest.subarray(headEnd + 4 + bodyLength);
      const [method = '', url = ''] = requestLine.split(' ');
      answer(conn, { method, url, headers, body });
    }
  }

  function reply(
    conn: Connection,
    req: RtspRequest,
    status: string,
    headers: Record<string, string> = {},
    body = '',
  ) {
    const lines = [`RTSP/1.0 ${status}`, `CSeq: ${req.headers.get('cseq') ?? '0'}`];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    if (body !== '') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    conn.socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  }

  function answer(conn: Connection, req: RtspRequest): void {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      reply(conn, req, '400 Bad Request');
      return;
    }
    const session = { Session: `${conn.session};timeout=60` };
    switch (req.method) {
      case 'OPTIONS':
        reply(conn, req, '200 OK', {
          Public: 'OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, TEARDOWN, GET_PARAMETER',
        });
        return;
      case 'ANNOUNCE':
        conn.path = url.pathname;
        conn.announcedSdp = req.body;
        reply(conn, req, '200 OK', session);
        return;
      case 'DESCRIBE': {
        const mount = mounts.get(url.pathname);
        if (mount === undefined) reply(conn, req, '404 Not Found');
        else
          reply(
            conn,
            req,
            '200 OK',
            { 'Content-Base': `${req.url.replace(/\/$/, '')}/`, 'Content-Type': 'application/sdp' },
            mount.sdp,
          );
        return;
      }
      case 'SETUP': {
        const transport = req.headers.get('transport') ?? '';
        const interleaved = /interleaved=(\d+)/.exec(transport);
        if (!/RTP\/AVP\/TCP/i.test(transport) || interleaved === null) {
          reply(conn, req, '461 Unsupported Transport');
          return;
        }
        const slash = url.pathname.lastIndexOf('/');
        conn.path ??= url.pathname.slice(0, slash);
        conn.channels.set(url.pathname.slice(slash + 1), Number(interleaved[1]));
        reply(conn, req, '200 OK', { ...session, Transport: transport });
        return;
      }
      case 'RECORD': {
        if (conn.path === undefined || conn.announcedSdp === undefined || mounts.has(conn.path)) {
          reply(conn, req, '455 Method Not Valid in This State');
          return;
        }
        conn.role = 'publisher';
        mounts.set(conn.path, { sdp: conn.announcedSdp, publisher: conn, readers: new Set() });
        reply(conn, req, '200 OK', session);
        return;
      }
      case 'PLAY': {
        const mount = conn.path === undefined ? undefined : mounts.get(conn.path);
        if (mount === undefined) {
          reply(conn, req, '404 Not Found');
          return;
        }
        conn.role = 'reader';
        mount.readers.add(conn);
        reply(conn, req, '200 OK', session);
        return;
      }
      case 'GET_PARAMETER':
      case 'SET_PARAMETER':
        reply(conn, req, '200 OK', session);
        return;
      case 'TEARDOWN':
        reply(conn, req, '200 OK', session);
        conn.socket.end();
        return;
      default:
        reply(conn, req, '501 Not Implemented');
    }
  }

  /** Passes a publisher's RTP/RTCP packet to each reader on the reader's channel for the same track. */
  function relay(conn: Connection, packet: Buffer): void {
    if (conn.role !== 'publisher' || conn.path === undefined) return; // readers' receiver reports: not needed
    const mount = mounts.get(conn.path);
    if (mount === undefined) return;
    const channel = packet[1] ?? 0;
    for (const [control, first] of conn.channels) {
      if (channel !== first && channel !== first + 1) continue;
      for (const reader of mount.readers) {
        const readerFirst = reader.channels.get(control);
        if (readerFirst === undefined || reader.socket.writableLength > MAX_READER_BACKLOG_BYTES) continue;
        const out = Buffer.from(packet);
        out[1] = readerFirst + (channel - first);
        reader.socket.write(out);
      }
    }
  }

  function closeConnection(conn: Connection): void {
    if (conn.path === undefined) return;
    const mount = mounts.get(conn.path);
    if (mount === undefined) return;
    if (mount.publisher === conn) {
      mounts.delete(conn.path);
      for (const reader of mount.readers) reader.socket.destroy();
    } else mount.readers.delete(conn);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    publishing: () => [...mounts.keys()],
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
