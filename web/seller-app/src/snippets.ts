/** Verification code a seller can paste, filled in for one endpoint (and its secret while it is on screen). */
export interface Snippet {
  id: string;
  label: string;
  code: string;
}

export function verificationSnippets(endpoint: { id: string; url: string }, secret?: string): Snippet[] {
  const shown = secret ?? 'whsec_…';
  const path = safePath(endpoint.url);
  return [
    {
      id: 'node',
      label: 'Node.js (Express)',
      code: `import crypto from 'node:crypto';
import express from 'express';

// SokoHub endpoint ${endpoint.id}; keep the secret in your environment, not in code.
const secret = process.env.SOKOHUB_WEBHOOK_SECRET; // ${shown}
const app = express();

app.post('${path}', express.raw({ type: 'application/json' }), (req, res) => {
  const expected = 'sha256=' + crypto.createHmac('sha256', secret).update(req.body).digest('hex');
  const given = req.get('X-SokoHub-Signature') ?? '';
  const ok = given.length === expected.length &&
    crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  if (!ok) return res.status(401).end();
  const event = JSON.parse(req.body.toString('utf8'));
  // Deliveries can repeat: skip an X-SokoHub-Event-Id you have already handled.
  console.log(event.event, event.data);
  res.status(200).end();
});`,
    },
    {
      id: 'python',
      label: 'Python (Flask)',
      code: `import hashlib, hmac, os
from flask import Flask, request, abort

# SokoHub endpoint ${endpoint.id}
SECRET = os.environ["SOKOHUB_WEBHOOK_SECRET"]  # ${shown}
app = Flask(__name__)

@app.post("${path}")
def sokohub_webhook():
    body = request.get_data()  # the raw bytes, before any JSON parsing
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-SokoHub-Signature", "")):
        abort(401)
    event = request.get_json()
    # Deliveries can repeat: skip an X-SokoHub-Event-Id you have already handled.
    print(event["event"], event["data"])
    return "", 200`,
    },
    {
      id: 'standard',
      label: 'Standard Webhooks',
      code: `// Any Standard Webhooks library works (webhook-id, webhook-timestamp, webhook-signature headers).
// npm install standardwebhooks
import { Webhook } from 'standardwebhooks';

const wh = new Webhook(process.env.SOKOHUB_WEBHOOK_SECRET); // ${shown} (endpoint ${endpoint.id})

// rawBody: the request body as a string, exactly as received
const event = wh.verify(rawBody, {
  'webhook-id': headers['webhook-id'],
  'webhook-timestamp': headers['webhook-timestamp'],
  'webhook-signature': headers['webhook-signature'],
}); // throws when the signature or the timestamp (5 minutes) is wrong`,
    },
  ];
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname.replace(/'/g, '') || '/';
  } catch {
    return '/webhooks/sokohub';
  }
}
