import { isMongoUri, redactUri, uriPassword } from '../../src/store/uri';

describe('store URIs', () => {
  it.each([
    ['mongodb://bot:hunter2@db1:27017,db2:27017/decisions?replicaSet=rs0', 'mongodb://bot:[secret]@db1:27017,db2:27017/decisions?replicaSet=rs0', 'hunter2'],
    ['mongodb+srv://bot:p%40ss@cluster0.example.net/decisions', 'mongodb+srv://bot:[secret]@cluster0.example.net/decisions', 'p%40ss'],
    ['mongodb://bot:s3@cr3t@127.0.0.1:1/x', 'mongodb://bot:[secret]@127.0.0.1:1/x', 's3@cr3t'],
    ['mongodb://localhost:27017/decisions', 'mongodb://localhost:27017/decisions', null],
    ['mongodb://bot@localhost/decisions', 'mongodb://bot@localhost/decisions', null],
  ])('%s is shown as %s', (uri, shown, password) => {
    expect(redactUri(uri)).toBe(shown);
    expect(uriPassword(uri)).toBe(password);
  });

  it('tells MongoDB URIs from other store names', () => {
    expect(isMongoUri('mongodb://localhost')).toBe(true);
    expect(isMongoUri('mongodb+srv://cluster0.example.net')).toBe(true);
    expect(isMongoUri('sqlite:data/decisions.sqlite')).toBe(false);
    expect(isMongoUri('postgres://localhost')).toBe(false);
  });
});
