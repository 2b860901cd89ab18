/**
 * The files that run catbridge as a per-user service: a systemd user unit (Linux) and a launchd agent
 * (macOS), written by `catbridge service` with this installation's absolute paths (the Node binary, the
 * CLI, the config), since neither service manager searches PATH the way a shell does.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export type ServiceFormat = 'systemd' | 'launchd';

export interface ServiceSpec {
  /** The Node binary (process.execPath). */
  node: string;
  /** dist/src/cli.js of this installation. */
  cli: string;
  /** The gateway config, absolute. */
  config: string;
  logLevel: string;
}

export const LAUNCHD_LABEL = 'org.catbridge.catbridge';

/** Where each service manager looks for a user's own services. */
export function serviceFilePath(format: ServiceFormat, home = homedir()): string {
  return format === 'systemd'
    ? join(home, '.config', 'systemd', 'user', 'catbridge.service')
    : join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
}

/** systemd quotes: a word with spaces, quotes or backslashes goes in double quotes, escaped. */
function systemdWord(word: string): string {
  if (!/[\s"'\\]/.test(word)) return word.replace(/%/g, '%%');
  return `"${word.replace(/[\\"]/g, '\\$&').replace(/%/g, '%%')}"`;
}

export function systemdUnit(spec: ServiceSpec): string {
  const command = [spec.node, spec.cli, '--config', spec.config, '--log-level', spec.logLevel];
  return `[Unit]
Description=catbridge rig emulation gateway (virtual serial ports for CAT programs)

[Service]
Type=simple
ExecStart=${command.map(systemdWord).join(' ')}
# Not a terminal, so the log on stderr is JSON lines, kept by the journal: journalctl --user -u catbridge
Restart=on-failure
RestartSec=5
# Exit status 2 is an invalid config: restarting cannot fix it (catbridge check names the problems).
RestartPreventExitStatus=2
# On SIGTERM catbridge releases PTT and removes its links within 2 s.
TimeoutStopSec=10

[Install]
WantedBy=default.target
`;
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function launchdPlist(spec: ServiceSpec, home = homedir()): string {
  const args = [spec.node, spec.cli, '--config', spec.config, '--log-level', spec.logLevel];
  const log = join(home, 'Library', 'Logs', 'catbridge.log');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args.map((a) => `    <string>${xmlText(a)}</string>`).join('\n')}
  </array>
  <key>RunAtLoad</key>
  <true/>
  <!-- Restarted when it fails, not when it was stopped on purpose (exit 0). -->
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>ThrottleInterval</key>
  <integer>5</integer>
  <key>ExitTimeOut</key>
  <integer>10</integer>
  <key>StandardOutPath</key>
  <string>${xmlText(log)}</string>
  <key>StandardErrorPath</key>
  <string>${xmlText(log)}</string>
</dict>
</plist>
`;
}
