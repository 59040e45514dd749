import { isMongoUri, maskUriSecrets, redactUri } from '../../src/store/uri';

describe('store URIs', () => {
  it.each([
    ['mongodb://bot:hunter2@db1:27017,db2:27017/decisions?replicaSet=rs0', 'mongodb://[secret]@db1:27017,db2:27017/decisions?replicaSet=[secret]'],
    ['mongodb+srv://bot:p%40ss@cluster0.example.net/decisions', 'mongodb+srv://[secret]@cluster0.example.net/decisions'],
    ['mongodb://bot:s3@cr3t@127.0.0.1:1/x', 'mongodb://[secret]@127.0.0.1:1/x'],
    ['mongodb://localhost:27017/decisions', 'mongodb://localhost:27017/decisions'],
    ['mongodb://bot@localhost/decisions', 'mongodb://[secret]@localhost/decisions'],
    ['mongodb://u:pw@127.0.0.1:1/db?tlsCertificateKeyFilePassword=SECRET&serverSelectionTimeoutMS=200', 'mongodb://[secret]@127.0.0.1:1/db?tlsCertificateKeyFilePassword=[secret]&serverSelectionTimeoutMS=[secret]'],
    ['mongodb://h/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:tok%2Fen', 'mongodb://h/?authMechanism=[secret]&authMechanismProperties=[secret]'],
    ['mongodb://h/db?ssl;appName=x@y', 'mongodb://h/db?ssl;appName=[secret]'],
    ['mongodb://u:p/ss@h/db', 'mongodb://[secret]@h/db'],
    ['mongodb://u:p?ss@h/db?a=b', 'mongodb://[secret]@h/db?a=[secret]'],
    ['mongodb://h/db#frag', 'mongodb://h/db#[secret]'],
    ['not-a-uri?password=x', 'not-a-uri?password=[secret]'],
  ])('%s is shown as %s', (uri, shown) => {
    expect(redactUri(uri)).toBe(shown);
  });

  it('takes every secret of the URI out of a driver message, as written and decoded', () => {
    const uri = 'mongodb://bot:p%40ss@h:1/db?tlsCertificateKeyFilePassword=KEYPASS&authMechanismProperties=AWS_SESSION_TOKEN:SESSIONTOKEN&serverSelectionTimeoutMS=200';
    const message = `failed for ${uri}: key KEYPASS, token SESSIONTOKEN, password p@ss after 200 ms`;
    const masked = maskUriSecrets(message, uri);
    for (const secret of ['KEYPASS', 'SESSIONTOKEN', 'p@ss', 'p%40ss']) expect(masked).not.toContain(secret);
    // Plain numbers are not worth garbling a message for.
    expect(masked).toContain('after 200 ms');
    expect(masked).toContain('h:1/db');
  });

  it('masks a short password in a message too', () => {
    expect(maskUriSecrets('auth failed with pw', 'mongodb://u:pw@h/db')).toBe('auth failed with [secret]');
  });

  it('tells MongoDB URIs from other store names', () => {
    expect(isMongoUri('mongodb://localhost')).toBe(true);
    expect(isMongoUri('mongodb+srv://cluster0.example.net')).toBe(true);
    expect(isMongoUri('sqlite:data/decisions.sqlite')).toBe(false);
    expect(isMongoUri('postgres://localhost')).toBe(false);
  });
});
