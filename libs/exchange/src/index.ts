export * from './exchange-relay.service';
export * from './exchange-bridge.service';
export * from './peer-bridge';
