-- A small QualCoder project (data.qda), with the tables and columns of QualCoder's own schema.
-- The test runs this through the sqlite3 command-line tool; no binary database is committed.
CREATE TABLE project (databaseversion TEXT, date TEXT, memo TEXT, about TEXT, bookmarkfile INTEGER, bookmarkpos INTEGER, codername TEXT, recently_used_codes TEXT);
CREATE TABLE code_cat (catid INTEGER PRIMARY KEY, name TEXT UNIQUE, memo TEXT, owner TEXT, date TEXT, supercatid INTEGER);
CREATE TABLE code_name (cid INTEGER PRIMARY KEY, name TEXT UNIQUE, memo TEXT, catid INTEGER, owner TEXT, date TEXT, color TEXT);
CREATE TABLE source (id INTEGER PRIMARY KEY, name TEXT, fulltext TEXT, mediapath TEXT, memo TEXT, owner TEXT, date TEXT, av_text_id INTEGER, risid INTEGER, UNIQUE(name));
CREATE TABLE code_text (ctid INTEGER PRIMARY KEY, cid INTEGER, fid INTEGER, seltext TEXT, pos0 INTEGER, pos1 INTEGER, owner TEXT, date TEXT, memo TEXT, avid INTEGER, important INTEGER, UNIQUE(cid, fid, pos0, pos1, owner));
CREATE TABLE cases (caseid INTEGER PRIMARY KEY, name TEXT, memo TEXT, owner TEXT, date TEXT, CONSTRAINT ucm UNIQUE(name));
CREATE TABLE case_text (id INTEGER PRIMARY KEY, caseid INTEGER, fid INTEGER, pos0 INTEGER, pos1 INTEGER, memo TEXT, owner TEXT, date TEXT);
CREATE TABLE attribute_type (name TEXT PRIMARY KEY, date TEXT, owner TEXT, memo TEXT, caseOrFile TEXT, valuetype TEXT);
CREATE TABLE attribute (attrid INTEGER PRIMARY KEY, name TEXT, attr_type TEXT, value TEXT, id INTEGER, date TEXT, owner TEXT, UNIQUE(name, attr_type, id));
CREATE TABLE journal (jid INTEGER PRIMARY KEY, name TEXT, jentry TEXT, date TEXT, owner TEXT, UNIQUE(name));
CREATE TABLE annotation (anid INTEGER PRIMARY KEY, fid INTEGER, pos0 INTEGER, pos1 INTEGER, memo TEXT, owner TEXT, date TEXT);
INSERT INTO project VALUES ('v7', '2024-03-01 10:00:00', '', 'QualCoder 3.5', 0, 0, 'default', '');
INSERT INTO code_cat VALUES (1, 'Barriers', 'What stands in the way', 'anna', '2024-03-01 10:00:00', NULL);
INSERT INTO code_cat VALUES (2, 'Money', NULL, 'anna', '2024-03-01 10:00:00', 1);
INSERT INTO code_name VALUES (1, 'cost', 'Price named as a reason', 2, 'anna', '2024-03-01 10:00:00', '#FF8000');
INSERT INTO code_name VALUES (2, 'time', NULL, 1, 'anna', '2024-03-01 10:00:00', '#00A0FF');
INSERT INTO code_name VALUES (3, 'trust 🙂', NULL, NULL, 'bo', '2024-03-01 10:00:00', NULL);
INSERT INTO source VALUES (1, 'Interview Kim.txt', 'Interviewer: Why did you stop?
Kim: It cost too much 🙂 and took too long.
Interviewer: Anything else?
Kim: I did not trust them.', NULL, 'First interview', 'anna', '2024-03-01 10:00:00', NULL, NULL);
INSERT INTO source VALUES (2, 'notes.txt', 'Field note one.

Field note two, about trust.', NULL, NULL, 'anna', '2024-03-01 10:00:00', NULL, NULL);
INSERT INTO source VALUES (3, 'recording.mp3', NULL, '/audio/recording.mp3', NULL, 'anna', '2024-03-01 10:00:00', NULL, NULL);
-- "It cost too much" starts at code point 36 of source 1; the emoji is one code point.
INSERT INTO code_text VALUES (1, 1, 1, 'It cost too much', 36, 52, 'anna', '2024-03-02 09:00:00', 'clear', NULL, 0);
INSERT INTO code_text VALUES (2, 2, 1, 'took too long', 59, 72, 'anna', '2024-03-02 09:01:00', NULL, NULL, 0);
INSERT INTO code_text VALUES (3, 3, 1, 'I did not trust them.', 107, 128, 'bo', '2024-03-02 09:02:00', NULL, NULL, 0);
INSERT INTO code_text VALUES (4, 3, 2, 'about trust', 33, 44, 'bo', '2024-03-02 09:03:00', NULL, NULL, 0);
-- A coding whose stored text does not match its positions: reported, not imported.
INSERT INTO code_text VALUES (5, 2, 1, 'something else', 0, 14, 'bo', '2024-03-02 09:04:00', NULL, NULL, 0);
INSERT INTO cases VALUES (1, 'Kim', 'A former customer', 'anna', '2024-03-01 10:00:00');
INSERT INTO case_text VALUES (1, 1, 1, 0, 128, NULL, 'anna', '2024-03-01 10:00:00');
INSERT INTO attribute_type VALUES ('age', '2024-03-01 10:00:00', 'anna', NULL, 'case', 'numeric');
INSERT INTO attribute VALUES (1, 'age', 'case', '34', 1, '2024-03-01 10:00:00', 'anna');
INSERT INTO attribute VALUES (2, 'region', 'case', 'north', 1, '2024-03-01 10:00:00', 'anna');
INSERT INTO journal VALUES (1, 'Reflections', 'Cost comes up first, always.', '2024-03-03 12:00:00', 'anna');
